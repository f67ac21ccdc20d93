// The course's smaller diagrams as data: boxes where they stand, arrows between points. The
// FlowDiagram component draws them as plain SVG, rendered into the page at build time, so they
// read without JavaScript and follow the theme's colours (dark mode too).

export type NodeKind = 'app' | 'redis' | 'postgres' | 'done' | 'bad';

export interface DiagramNode {
  x: number;
  y: number;
  w: number;
  label: string;
  code?: string;
  kind: NodeKind;
}

export interface DiagramEdge {
  points: [number, number][];
  label?: string;
  /** Where the label stands. */
  at?: [number, number];
  kind?: 'bad' | 'done';
}

export interface Diagram {
  title: string;
  desc: string;
  width: number;
  height: number;
  /** Row captions, at the left edge. */
  captions?: { y: number; text: string; kind?: 'bad' | 'done' }[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

const H = 44;
const mid = (n: DiagramNode) => n.y + H / 2;
const right = (n: DiagramNode): [number, number] => [n.x + n.w, mid(n)];
const left = (n: DiagramNode): [number, number] => [n.x, mid(n)];
const link = (a: DiagramNode, b: DiagramNode, label?: string, kind?: 'bad' | 'done'): DiagramEdge => ({
  points: [right(a), left(b)],
  ...(label ? { label, at: [(a.x + a.w + b.x) / 2, mid(a) - 8] as [number, number] } : {}),
  ...(kind ? { kind } : {}),
});

function writePath(): Diagram {
  const update = {
    x: 20,
    y: 40,
    w: 150,
    label: 'UPDATE Postgres',
    code: 'the truth changes',
    kind: 'postgres',
  } as const;
  const del = { x: 230, y: 40, w: 150, label: 'DEL user:42', code: 'peel off the note', kind: 'redis' } as const;
  const fresh = {
    x: 440,
    y: 40,
    w: 200,
    label: 'next read misses',
    code: 'refills from the new row',
    kind: 'done',
  } as const;
  const delFirst = { x: 20, y: 150, w: 150, label: 'DEL user:42', code: 'first: wrong order', kind: 'redis' } as const;
  const reader = { x: 230, y: 150, w: 150, label: 'a reader misses', code: 'reads the OLD row', kind: 'app' } as const;
  const stale = {
    x: 440,
    y: 150,
    w: 200,
    label: 'caches the old row',
    code: 'stale until its TTL',
    kind: 'bad',
  } as const;
  return {
    title: 'Writes: update Postgres, then delete the key',
    desc: 'Right order: update Postgres, then delete the cached key, so the next read misses and caches the fresh row. Wrong order: deleting first lets a reader miss, read the old row before the update commits, and cache it again, stale until the TTL runs out.',
    width: 660,
    height: 220,
    captions: [
      { y: 30, text: 'Postgres first, then DEL', kind: 'done' },
      { y: 140, text: 'DEL first: the race', kind: 'bad' },
    ],
    nodes: [update, del, fresh, delFirst, reader, stale],
    edges: [
      link(update, del, 'then'),
      link(del, fresh, 'then', 'done'),
      link(delFirst, reader, 'meanwhile'),
      link(reader, stale, 'SET', 'bad'),
    ],
  };
}

function stampede(): Diagram {
  const callers = { x: 20, y: 40, w: 170, label: '50 callers miss', code: 'user:42 expired', kind: 'app' } as const;
  const many = { x: 250, y: 10, w: 180, label: '50 queries at once', code: 'without coalescing', kind: 'bad' } as const;
  const one = {
    x: 250,
    y: 74,
    w: 180,
    label: '1 query, 49 wait',
    code: 'one in-flight promise',
    kind: 'done',
  } as const;
  const down = {
    x: 20,
    y: 160,
    w: 170,
    label: 'Redis down or slow',
    code: 'no answer in 100 ms',
    kind: 'redis',
  } as const;
  const pg = {
    x: 250,
    y: 160,
    w: 180,
    label: 'serve from Postgres',
    code: 'the answer, a bit slower',
    kind: 'postgres',
  } as const;
  const jitter = {
    x: 465,
    y: 110,
    w: 180,
    label: 'TTL 300 s ± jitter',
    code: 'expire apart, not together',
    kind: 'redis',
  } as const;
  return {
    title: 'When the cache lies or is gone: stampede, fallback, jitter',
    desc: 'Fifty callers that miss the same key at once send fifty queries to Postgres unless they share one in-flight read. When Redis is down or slow, the answer comes from Postgres instead. A jittered TTL keeps keys filled together from expiring together.',
    width: 660,
    height: 224,
    nodes: [callers, many, one, down, pg, jitter],
    edges: [
      { points: [right(callers), left(many)], kind: 'bad' },
      { points: [right(callers), left(one)], kind: 'done' },
      link(down, pg, 'fallback', 'done'),
      { points: [right(one), [jitter.x, mid(jitter) - 10]], label: 'fill', at: [448, 104] },
    ],
  };
}

function queue(): Diagram {
  const producer = { x: 20, y: 40, w: 120, label: 'enqueue', code: 'LPUSH jobs', kind: 'app' } as const;
  const jobs = { x: 190, y: 40, w: 120, label: 'jobs', code: 'the list', kind: 'redis' } as const;
  const processing = {
    x: 380,
    y: 40,
    w: 150,
    label: 'jobs:processing',
    code: 'BLMOVE: in flight',
    kind: 'redis',
  } as const;
  const done = { x: 560, y: 40, w: 90, label: 'ack', code: 'LREM', kind: 'done' } as const;
  const worker = { x: 380, y: 150, w: 150, label: 'a worker died', code: 'job never acked', kind: 'bad' } as const;
  return {
    title: 'A reliable queue: the processing list',
    desc: 'Producers push jobs onto the list. A worker reserves one by moving it atomically onto the processing list, and removes it there once done (ack). A job whose worker died stays on the processing list, and recover moves it back onto the queue: a worker’s crash does not lose it (as long as Redis keeps its data).',
    width: 670,
    height: 220,
    nodes: [producer, jobs, processing, done, worker],
    edges: [
      link(producer, jobs),
      { points: [right(jobs), left(processing)], label: 'reserve', at: [345, mid(jobs) - 8] },
      link(processing, done, '', 'done'),
      {
        points: [
          [processing.x + 40, processing.y + H],
          [worker.x + 40, worker.y],
        ],
      },
      {
        points: [left(worker), [250, mid(worker)], [250, jobs.y + H]],
        label: 'recover: LMOVE back',
        at: [300, mid(worker) - 8],
        kind: 'done',
      },
    ],
  };
}

export const diagrams = { 'write-path': writePath(), stampede: stampede(), queue: queue() };
export type DiagramName = keyof typeof diagrams;
export const NODE_HEIGHT = H;
