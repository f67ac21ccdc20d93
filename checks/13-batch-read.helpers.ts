// Helpers of checks/13-batch-read.check.ts: users and sticky notes seeded in bulk, what reached
// each store, and round trips counted from when Redis ran each command.
import type { User } from '../lib/stores.ts';
import type { Course, SqlStatement } from './harness/course.ts';
import { writesTo } from './harness/observe.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { CheckFailure, errorText, show, whereThrown } from './harness/teach.ts';

export const keyOf = (id: number) => `user:${id}`;

/** Ids no user has: the tables start empty for every check, and the seeds stay far below. */
/** How a call of getUsers with `ids` is named in a message. */
export const label = (ids: readonly number[]) =>
  `getUsers(stores, [${ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, … (${ids.length} ids)` : ids.join(', ')}])`;

/** The answer getUsers owes for `ids`: each id's user, or null where `users` has none. */
export const expected = (ids: number[], users: User[]) => ids.map((id) => users.find((u) => u.id === id) ?? null);

export const unknownIds = (count: number) => Array.from({ length: count }, (_, i) => 9001 + i);

/** Inserts users in one statement, in the order given; returns the rows, ordered by id. */
export async function addUsers(course: Course, names: string[], tag = 'u'): Promise<User[]> {
  const { rows } = await course.db.query<User>(
    `INSERT INTO users (name, email)
     SELECT name, email FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(name, email, n) ORDER BY n
     RETURNING id, name, email`,
    [names, names.map((_, i) => `${tag}${i}@example.com`)],
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** `count` users named after `tag`. */
export function addMany(course: Course, count: number, tag: string): Promise<User[]> {
  return addUsers(
    course,
    Array.from({ length: count }, (_, i) => `${tag} ${i}`),
    tag,
  );
}

/** Puts each user's JSON (or the text given) under user:<id>, as a fill made `ttl` seconds ago would. */
export async function putNotes(course: Course, notes: [id: number, text: string][], ttl = 300): Promise<void> {
  if (notes.length === 0) return;
  const tx = course.redis.multi();
  for (const [id, text] of notes) tx.set(keyOf(id), text, { expiration: { type: 'EX', value: ttl } });
  await tx.exec();
}

export const cacheUsers = (course: Course, users: User[], ttl = 300) =>
  putNotes(
    course,
    users.map((u) => [u.id, JSON.stringify(u)]),
    ttl,
  );

/** The same items in an order of their own, the same every run: never sorted by id. */
export function mixed<T>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, rank: (i * 37 + 11) % 101 }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.item);
}

/** What the code under check sent, without the PINGs the checks send on its client to let unawaited writes land. */
export const ownCommands = (commands: SeenCommand[]) => commands.filter((c) => c.args[0] !== 'PING');

/**
 * The commands grouped by round trip. Every reply comes back `delayMs` late, so a command sent
 * after waiting for an answer runs at least `delayMs` after the one before it, while commands
 * sent together run within a moment of each other: a gap of half the delay separates two trips.
 */
export function roundTrips(commands: SeenCommand[], delayMs: number): SeenCommand[][] {
  const trips: SeenCommand[][] = [];
  let last = -Infinity;
  for (const c of [...commands].sort((a, b) => a.time - b.time)) {
    if (c.time - last > delayMs / 2 || trips.length === 0) trips.push([]);
    trips[trips.length - 1]!.push(c);
    last = c.time;
  }
  return trips;
}

export function describeTrips(trips: SeenCommand[][]): string {
  const shown = trips.slice(0, 6).map((trip, i) => `  trip ${i + 1}: ${summary(trip)}`);
  return `${trips.length} round trip(s) to Redis:\n${shown.join('\n')}${trips.length > 6 ? '\n  …' : ''}`;
}

/** "1 MGET, 30 SET" */
export function summary(commands: SeenCommand[]): string {
  const counts = new Map<string, number>();
  for (const c of commands) counts.set(c.args[0] ?? '', (counts.get(c.args[0] ?? '') ?? 0) + 1);
  return counts.size ? [...counts].map(([name, n]) => `${n} ${name}`).join(', ') : 'no command';
}

/** The ids a statement received as parameters: an array ('{1,2,3}'), a list of $n, or JSON. */
export function idsPassed(statement: SqlStatement): Set<number> {
  const ids = new Set<number>();
  for (const value of statement.values) {
    for (const m of String(value ?? '').matchAll(/-?\d+/g)) ids.add(Number(m[0]));
  }
  return ids;
}

/** The commands that wrote user keys, and what each key got. */
export function writesPerKey(commands: SeenCommand[], keys: string[]): Map<string, SeenCommand[]> {
  return new Map(keys.map((k) => [k, writesTo(commands, k)]));
}

/** The first few keys whose writes break a rule, described. */
export function describeWrites(wrong: [string, SeenCommand[]][]): string {
  return wrong
    .slice(0, 3)
    .map(([key, writes]) => `${key}: ${writes.length ? writes.map(brief).join('; ') : 'never written'}`)
    .join('\n  ');
}

/** One command in a line: long values cut, at most a few arguments. */
export function brief(c: SeenCommand): string {
  const args = c.args.slice(0, 6).map((a) => (/^[\w:.-]+$/.test(a) ? a : show(a, 40)));
  return `${args.join(' ')}${c.args.length > 6 ? ' …' : ''}${c.client === 'lua' ? ' (in a script)' : ''}`;
}

/** The ids of an answer, for "Observed:" lines: [3, 1, null, …]. */
export const idsOf = (answer: unknown) =>
  show(Array.isArray(answer) ? answer.map((u: { id?: unknown } | null) => u?.id ?? null) : answer);

/**
 * Runs the code under check through a proxy that holds every Redis reply back `delayMs`: if it
 * has not finished within `limitMs`, the check fails counting the round trips that must have
 * taken, instead of waiting for every one of them.
 */
export async function callCounting<T>(
  label: string,
  run: () => Promise<T>,
  limitMs: number,
  delayMs: number,
): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(resolve, limitMs, 'late');
  });
  try {
    // Promise.race handles a rejection that comes after the deadline: nothing is left unhandled.
    const outcome = await Promise.race([
      Promise.resolve()
        .then(run)
        .then((value) => ({ value })),
      late,
    ]);
    if (outcome === 'late') {
      throw new CheckFailure(
        `Expected: ${label} to finish in a few round trips to Redis (each reply is held back ${delayMs} ms).\n` +
          `Observed: still waiting after ${limitMs / 1000} s, that is over ${Math.floor(limitMs / delayMs)} round trips ` +
          `one after another: a command awaited inside a loop waits for Redis once per id.`,
      );
    }
    return { value: outcome.value, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    throw new CheckFailure(
      `Expected: ${label} to succeed.\nObserved: it threw ${errorText(error)}${whereThrown(error)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
