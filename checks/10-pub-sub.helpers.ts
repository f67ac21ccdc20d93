// Helpers of checks/10-pub-sub.check.ts: subscribing through the code under check, channel names
// no other run uses, another client listening by pattern, and the learner's subscribed
// connections as the server lists them.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { Course } from './harness/course.ts';
import { listenLocally, urlThrough } from './harness/local-listen.ts';
import { describeConnections, learnerConnections, type RedisConnection } from './harness/redis-clients.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { call, demand, errorText, isTodo, settle, show } from './harness/teach.ts';
import { uncaughtDuring } from './harness/uncaught.ts';
import { sleep, waitUntil } from './harness/wait.ts';

export type Module = typeof import('../solutions/10-pub-sub/notify.ts');
export type Json = Parameters<Module['publish']>[2];
type Cache = Parameters<Module['subscribe']>[0];

export const event: Json = {
  type: 'user-changed',
  userId: 42,
  fields: ['name', 'email'],
  by: { id: 1, name: 'Ada' },
  urgent: false,
  note: null,
  // A string that looks like a date is still a string: JSON has no dates.
  at: '2025-01-01T09:00:00.000Z',
};

/** What a check left open (subscriptions, listeners of its own), ended before the next check. */
export const leftOpen: (() => Promise<void>)[] = [];

/** `listen(cache, channel)`: subscribes through the code under check, recording every event the handler receives. */
export function listener(subscribe: Module['subscribe']) {
  return async (cache: Cache, channel: string, label = `subscribe(cache, "${channel}", handler)`) => {
    const events: Json[] = [];
    const unsubscribe = await call(label, () =>
      subscribe(cache, channel, (received) => {
        events.push(received);
      }),
    );
    demand(typeof unsubscribe === 'function', 'subscribe to resolve to the unsubscribe function', show(unsubscribe));
    leftOpen.push(unsubscribe);
    return { events, unsubscribe };
  };
}

/**
 * A channel name no one else uses: channels are shared by the whole server (logical databases
 * do not separate them), so another run's subscriber would be counted.
 */
export function channelNamed(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/** Another client (the checks' own) listening by pattern (PSUBSCRIBE): the messages it hears. */
export async function patternListener(course: Course, pattern: string): Promise<string[]> {
  const messages: string[] = [];
  const client = course.redis.duplicate();
  client.on('error', () => {});
  await client.connect();
  leftOpen.push(async () => {
    client.destroy();
  });
  await client.pSubscribe(pattern, (message) => {
    messages.push(message);
  });
  return messages;
}

/** The learner's connections subscribed to a channel or pattern. */
export async function subscribedLines(course: Course): Promise<RedisConnection[]> {
  return (await learnerConnections(course)).filter((c) => c.sub + c.psub > 0);
}

/** Waits (up to `limitMs`) for a subscribed connection of the learner's code whose id is not in `old`. */
export async function newSubscribedLine(
  course: Course,
  old: Set<number>,
  limitMs: number,
): Promise<RedisConnection | undefined> {
  let found: RedisConnection | undefined;
  await waitUntil(
    async () => (found = (await subscribedLines(course)).find((c) => !old.has(c.id))) !== undefined,
    limitMs,
  );
  return found;
}

/**
 * Has the server close the learner's subscribed connection twice, each time once node-redis has
 * subscribed again: what went uncaught, and whether it was subscribed again after the second.
 */
export async function dropTwice(course: Course): Promise<{ uncaught: unknown[]; drops: number; back: boolean }> {
  const seen = new Set<number>();
  let drops = 0;
  let back = false;
  const uncaught = await uncaughtDuring(async () => {
    for (
      let line = await newSubscribedLine(course, seen, 2000);
      line;
      line = await newSubscribedLine(course, seen, 2000)
    ) {
      if (drops === 2) {
        back = true;
        return;
      }
      seen.add(line.id);
      await course.redis.sendCommand(['CLIENT', 'KILL', 'ID', String(line.id)]);
      drops += 1;
    }
  });
  return { uncaught, drops, back };
}

/** How many times the server refused a SELECT to the learner's user (ACL LOG counts them). */
async function refusedSelects(course: Course): Promise<number> {
  const log = (await course.redis.sendCommand(['ACL', 'LOG'])) as unknown[][];
  let count = 0;
  for (const entry of log) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
    if (fields.get('username') === course.redisUser && fields.get('object') === 'select')
      count += Number(fields.get('count'));
  }
  return count;
}

type Publish = (channel: string, value: Json) => Promise<number>;

/**
 * Subscribes, has the server close the subscribed connection while it refuses the SELECT that
 * node-redis sends on connecting (so the client keeps trying, never ready), calls unsubscribe()
 * then, lets the client connect again 150 ms later, and demands that the subscription ended.
 */
export async function demandEndsWhileReconnecting(
  course: Course,
  listen: ReturnType<typeof listener>,
  cache: Cache,
  publish: Publish,
): Promise<void> {
  const channel = channelNamed('news');
  const before = new Set((await subscribedLines(course)).map((c) => c.id));
  const { events, unsubscribe } = await listen(cache, channel);
  const line = await newSubscribedLine(course, before, 1000);
  demand(
    line !== undefined,
    `a connection of your code subscribed to "${channel}"`,
    "none in the server's client list",
  );
  const refused = await refusedSelects(course);
  await course.denyRedis('select');
  await course.redis.sendCommand(['CLIENT', 'KILL', 'ID', String(line.id)]);
  await waitUntil(async () => (await refusedSelects(course)) > refused, 1000, 10);
  const pending = settle('unsubscribe() while its connection is reconnecting', () => unsubscribe(), 4000);
  await sleep(150);
  await course.allowRedis();
  const outcome = await pending;
  // Time for a client left open to connect again (it tries every 50 ms) and subscribe anew.
  await sleep(500);
  const gone = await waitUntil(async () => (await subscribedLines(course)).length === 0, 1500);
  const after = await call(`publish(cache, "${channel}", event)`, () => publish(channel, event));
  await sleep(200);
  demand(
    gone && after === 0 && events.length === 0,
    'unsubscribe() called while the dedicated connection is reconnecting (it dropped a moment before) to end the subscription all the same: a client that is not ready is still open, and node-redis subscribes it again once it reconnects, so close it all the same (in a finally, whatever UNSUBSCRIBE answered)',
    () =>
      `unsubscribe() ${outcome.ok ? 'resolved' : `rejected with ${errorText(outcome.error)}`}; 2 s later, publish returned ${show(after)} and the handler received ${show(events)}`,
  );
}

/** Subscribes, has the server close the subscribed connection twice, and demands that the subscription goes on. */
export async function demandSurvivesDrops(
  course: Course,
  listen: ReturnType<typeof listener>,
  cache: Cache,
  publish: Publish,
): Promise<void> {
  const news = channelNamed('news');
  const { events } = await listen(cache, news);
  const { uncaught, drops, back } = await dropTwice(course);
  demand(
    uncaught.length === 0,
    "an 'error' listener on the subscriber's connection, for every error (on, not once): it inherits none from cache, and each drop emits one; with no listener left, the client throws, which ends the process",
    `when the server closed the subscriber's connection (drop ${drops} of 2), this went uncaught: ${uncaught.map(errorText).join('; ')}`,
  );
  demand(
    back,
    'the subscription back after each of two drops: node-redis reconnects and subscribes again by itself (keep the client, with its listener)',
    `after drop ${drops} of 2 no connection of your code subscribed again within 2 s`,
  );
  const receivers = await call(`publish(cache, "${news}", event) after the drops`, () => publish(news, event));
  await waitUntil(() => events.length > 0, 2000);
  demand(
    receivers === 1 && events.length === 1,
    'the next event delivered after the drops (pub/sub is at-most-once: what was published while the line was down is gone, but the subscription goes on)',
    `publish returned ${show(receivers)}; the handler received ${show(events)}`,
  );
}

/** The message each PUBLISH on `channel` carried, in order. */
export function payloadsOn(commands: SeenCommand[], channel: string): string[] {
  return commands.filter((c) => c.args[0] === 'PUBLISH' && c.args[1] === channel).map((c) => c.args[2] ?? '');
}

/** "the event 42 went out as the text 42" for each payload that is not the JSON of what was sent. */
export function notJsonOf(payloads: string[], sent: Json[]): string[] {
  return payloads.flatMap((text, i) => {
    try {
      if (isDeepStrictEqual(JSON.parse(text), sent[i])) return [];
    } catch {
      // not JSON at all
    }
    return [`the event ${show(sent[i])} went out as ${text === '' ? 'an empty message' : `the text ${text}`}`];
  });
}

/**
 * A line to this file's Redis that can hold what the server sends and then hand it all over in
 * one write: messages and a reply that the server sent apart reach the client together.
 */
export async function holdingLine(
  course: Course,
): Promise<{ url: string; hold(): void; release(): void; held(): string }> {
  const upstream = await course.proxy('redis');
  const pairs = new Set<{ client: Socket; server: Socket; held: Buffer[] }>();
  let holding = false;
  const server = createServer((client) => {
    const pair = { client, server: connect({ host: upstream.host, port: upstream.port }), held: [] as Buffer[] };
    pairs.add(pair);
    for (const end of [pair.client, pair.server]) {
      end.on('error', () => {});
      end.on('close', () => {
        pairs.delete(pair);
        pair.client.destroy();
        pair.server.destroy();
      });
    }
    client.on('data', (chunk) => pair.server.write(chunk));
    pair.server.on('data', (chunk) => (holding ? pair.held.push(chunk) : client.write(chunk)));
  });
  const port = await listenLocally(server);
  leftOpen.push(async () => {
    for (const pair of pairs) pair.client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: urlThrough(course.redisUrl, port),
    hold: () => (holding = true),
    release() {
      holding = false;
      for (const pair of pairs) if (pair.held.length > 0) pair.client.write(Buffer.concat(pair.held.splice(0)));
    },
    held: () => [...pairs].map((p) => Buffer.concat(p.held).toString()).join(''),
  };
}

/** Demands that subscribe rejects when Redis refuses SUBSCRIBE, and closes the connection it opened. */
export async function demandRefusalClosed(course: Course, cache: Cache, subscribe: Module['subscribe']): Promise<void> {
  const before = (await learnerConnections(course)).length;
  await course.denyRedis('subscribe');
  const channel = channelNamed('news');
  const outcome = await settle(`subscribe(cache, "${channel}", handler) while Redis refuses SUBSCRIBE`, () =>
    subscribe(cache, channel, () => {}),
  );
  await course.allowRedis();
  if (outcome.ok && typeof outcome.value === 'function') leftOpen.push(outcome.value);
  let left: RedisConnection[] = [];
  await waitUntil(async () => (left = await learnerConnections(course)).length <= before, 2000);
  demand(
    !outcome.ok && !isTodo(outcome.error) && left.length <= before,
    "subscribe to reject with Redis's error (here NOPERM: SUBSCRIBE refused) and to close the connection it opened: a subscriber that never subscribed, left open, is a connection leaked on every call",
    `subscribe ${outcome.ok ? 'resolved' : `rejected with ${errorText(outcome.error)}`}; connections of your code: ${describeConnections(left)} (${before} before subscribe)`,
  );
}
