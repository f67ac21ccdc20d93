// Helpers of checks/15-outbox.check.ts: what the outbox table and the user-events stream hold,
// rows seeded in the README's format (so the relay's checks do not lean on the learner's
// updateUser), triggers installed for one check, and what the learner's sessions left open.
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { User } from '../lib/stores.ts';
import type { Course, ObservedStores } from './harness/course.ts';
import { addUser, parseCached } from './harness/observe.ts';
import { CheckFailure, demand, errorText, show, type Settled } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';

export type { User };

export const STREAM = 'user-events';

export interface OutboxRow {
  id: number;
  aggregate_id: number;
  type: string;
  payload: unknown;
  sent: boolean;
}

/** Every outbox row, by id. */
export async function outboxRows(course: Course): Promise<OutboxRow[]> {
  const { rows } = await course.db.query<OutboxRow>(
    'SELECT id::int AS id, aggregate_id, type, payload, sent_at IS NOT NULL AS sent FROM outbox ORDER BY id',
  );
  return rows;
}

export const pendingIds = async (course: Course) => (await outboxRows(course)).filter((r) => !r.sent).map((r) => r.id);

export interface StreamEvent {
  eventId: string | undefined;
  type: string | undefined;
  userId: string | undefined;
  payload: unknown;
}

/** The entries of user-events, oldest first (none when the key does not exist). */
export async function streamEvents(course: Course): Promise<StreamEvent[]> {
  const type = await course.redis.type(STREAM);
  if (type === 'none') return [];
  if (type !== 'stream') {
    throw new CheckFailure(`Expected: ${STREAM} to be a Redis stream (XADD)\nObserved: it is a ${type}`);
  }
  const entries = await course.redis.xRange(STREAM, '-', '+');
  return entries.map(({ message }) => ({
    eventId: message.event_id,
    type: message.type,
    userId: message.user_id,
    payload: parseCached(message.payload ?? null),
  }));
}

/** The event ids in the stream, in stream order, as numbers. */
export const streamIds = async (course: Course) => (await streamEvents(course)).map((e) => Number(e.eventId));

/** The ids sent more than once, and the ids of `expected` never sent. */
export function copies(sent: number[], expected: number[]): { twice: number[]; missing: number[] } {
  const twice = [...new Set(sent.filter((id, i) => sent.indexOf(id) !== i))];
  return { twice, missing: expected.filter((id) => !sent.includes(id)) };
}

/** A pending outbox row about `user`, as updateUser writes one; returns its id. */
export async function pendingEvent(course: Course, user: User, db: pg.Pool | pg.PoolClient = course.db) {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO outbox (aggregate_id, type, payload) VALUES ($1, 'user.updated', $2) RETURNING id::int AS id",
    [user.id, JSON.stringify(user)],
  );
  return rows[0]!.id;
}

/** `count` users, one pending event each; returns the users and the event ids. */
export async function seed(course: Course, count: number): Promise<{ users: User[]; ids: number[] }> {
  const users: User[] = [];
  const ids: number[] = [];
  for (let i = 1; i <= count; i += 1) {
    const user = await addUser(course, `User ${i}`, `user${i}@example.com`);
    users.push(user);
    ids.push(await pendingEvent(course, user));
  }
  return { users, ids };
}

/** Runs `fn` with `ddl` installed (triggers, functions), then runs `undo`, whatever happened. */
export async function withDdl<T>(course: Course, ddl: string, undo: string, fn: () => Promise<T>): Promise<T> {
  await course.db.query(ddl);
  try {
    return await fn();
  } finally {
    await course.db.query(undo);
  }
}

/** A trigger that raises `message` on every `event` (e.g. 'BEFORE INSERT') of `table`, and its removal. */
export function refusing(table: string, event: string, message: string): [ddl: string, undo: string] {
  return [
    `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$;
     CREATE TRIGGER refuse ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse();`,
    `DROP TRIGGER IF EXISTS refuse ON ${table}; DROP FUNCTION IF EXISTS refuse();`,
  ];
}

/** Sessions of the learner's role in this database: inside an open transaction, or with a transaction id. */
export async function learnerSessions(course: Course): Promise<{ openTx: number; writing: number }> {
  const { rows } = await course.db.query<{ open_tx: number; writing: number }>(
    `SELECT count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS open_tx,
            count(*) FILTER (WHERE backend_xid IS NOT NULL)::int AS writing
       FROM pg_stat_activity WHERE datname = current_database() AND usename = $1`,
    [course.databaseName],
  );
  return { openTx: rows[0]?.open_tx ?? 0, writing: rows[0]?.writing ?? 0 };
}

/** What a pool still has checked out, or undefined when every client is back. */
export function checkedOut(pool: pg.Pool): string | undefined {
  if (pool.totalCount === pool.idleCount && pool.waitingCount === 0) return undefined;
  return `${pool.totalCount - pool.idleCount} of ${pool.totalCount} pooled client(s) still checked out, ${pool.waitingCount} waiting`;
}

/**
 * Another writer draws an outbox id (about Ada) and keeps its transaction open while Alan's event,
 * with a higher id, commits; a relay whose Redis replies take 600 ms starts, and once its first
 * XADD ran (its batch taken, without Ada's row), the writer commits.
 */
export async function lateCommitRace<T>(course: Course, run: (stores: ObservedStores) => Promise<T>) {
  const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
  const alan = await addUser(course, 'Alan Turing', 'alan@example.com');
  const proxy = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  const writer = await course.db.connect();
  try {
    await writer.query('BEGIN');
    const late = await pendingEvent(course, { ...ada, name: 'Ada King' }, writer);
    const early = await pendingEvent(course, alan);
    Object.assign(proxy, { mode: 'slow', delayMs: 600 });
    let done = false;
    const running = run(stores).finally(() => (done = true));
    await waitUntil(async () => done || (await course.redis.xLen(STREAM)) > 0, 3000, 10);
    await writer.query('COMMIT');
    proxy.mode = 'pass';
    return { late, early, outcome: await running };
  } finally {
    await writer.query('ROLLBACK').catch(() => {});
    writer.release();
  }
}

/** The outcome of a settled call, for an "Observed:" line. */
export const outcome = (o: Settled<unknown>) =>
  o.ok ? `resolved to ${show(o.value)}` : `rejected: ${errorText(o.error)}`;

/** Fails unless no learner session is left inside a transaction. */
export async function noOpenTransaction(course: Course, after: string): Promise<void> {
  const { openTx } = await learnerSessions(course);
  const expected = `no transaction left open after ${after} (ROLLBACK on every failure)`;
  demand(openTx === 0, expected, `${openTx} session(s) idle in transaction`);
}

/** The stream and the outbox after relaying `expected`: each event once (at least once, `again`), every row sent. */
export async function sentOnce(course: Course, expected: number[], how: string, again = false): Promise<void> {
  const sent = await streamIds(course);
  const { twice, missing } = copies(sent, expected);
  demand(
    again || twice.length === 0,
    `${how}: no row sent twice (a locked row belongs to the relay holding it)`,
    `events ${show(twice)} are in ${STREAM} more than once: ${show(sent)}`,
  );
  demand(
    missing.length === 0,
    `${how}: every row sent`,
    `events ${show(missing)} never reached ${STREAM}: ${show(sent)}`,
  );
  const pending = await pendingIds(course);
  demand(pending.length === 0, `${how}: every row marked sent`, `rows ${show(pending)} still pending`);
}

/** Runs `fn` while a trigger records, for every row changed in users and outbox, txid_current(). */
export async function auditing(course: Course, fn: () => Promise<void>) {
  const ddl = `CREATE TABLE audit (tx text, change text);
    CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN INSERT INTO audit VALUES (txid_current()::text, TG_OP || ' ' || TG_TABLE_NAME); RETURN NULL; END $$;
    CREATE TRIGGER audit AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();
    CREATE TRIGGER audit AFTER INSERT OR UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION audit();`;
  return withDdl(course, ddl, 'DROP TABLE IF EXISTS audit; DROP FUNCTION IF EXISTS audit() CASCADE;', async () => {
    await fn();
    return (await course.db.query<{ tx: string; change: string }>('SELECT tx, change FROM audit')).rows;
  });
}

type Relay = (stores: ObservedStores, batchSize: number, label: string) => Promise<Settled<number>>;

/**
 * A first relay (batch of 3) whose Redis replies take 1 s; once its first XADD ran (it holds its
 * batch), a second relay with a fast Redis starts. In time: the second finished within 0.8 s,
 * before the first; then the line is let through so the first finishes too.
 */
export async function skipLockedRace(course: Course, relay: Relay) {
  const proxy = await course.proxy('redis');
  const slow = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  const fast = await course.stores();
  Object.assign(proxy, { mode: 'slow', delayMs: 1000 });
  let firstDone = false;
  let secondDone = false;
  const first = relay(slow, 3, 'the first relayOnce (its Redis replies take 1 s)').finally(() => (firstDone = true));
  await waitUntil(async () => firstDone || (await course.redis.xLen(STREAM)) > 0, 4000, 10);
  const second = relay(fast, 10, 'the second relayOnce').finally(() => (secondDone = true));
  await waitUntil(() => secondDone, 800, 10);
  const inTime = secondDone && !firstDone;
  const seen = !secondDone
    ? 'the second relay was still waiting 0.8 s later'
    : 'the second relay finished after the first';
  proxy.mode = 'pass';
  return { first: await first, second: await second, inTime, seen };
}

type Update = (db: pg.Pool, name: string, label: string) => Promise<Settled<unknown>>;
type Change = (db: pg.Pool, label: string) => Promise<Settled<unknown>>;

/**
 * Two changes of one user at once: `slow` on a connection whose replies take 300 ms, and `fast`,
 * on a fast one, as soon as the slow one's transaction has written anything (it has a
 * transaction id).
 */
export async function raceOnOneUser(course: Course, slowChange: Change, fastChange: Change) {
  const pgProxy = await course.proxy('postgres');
  const slowStores = await course.stores({ pool: { connectionString: pgProxy.urlFor(course.databaseUrl), max: 1 } });
  const fastStores = await course.stores();
  await Promise.all([slowStores.db.query('SELECT 1'), fastStores.db.query('SELECT 1')]);
  Object.assign(pgProxy, { mode: 'slow', delayMs: 300 });
  let done = false;
  const slow = slowChange(slowStores.db, ' on a connection whose replies take 300 ms').finally(() => (done = true));
  await waitUntil(async () => done || (await learnerSessions(course)).writing > 0, 4000, 5);
  const fast = await fastChange(fastStores.db, ' meanwhile, on another connection');
  return { slow: await slow, fast };
}

/** Renames one user twice at once: B slowly, A meanwhile (raceOnOneUser). */
export async function commitOrderRace(course: Course, update: Update) {
  const { slow, fast } = await raceOnOneUser(
    course,
    (db, label) => update(db, 'B', label),
    (db, label) => update(db, 'A', label),
  );
  return { a: fast, b: slow };
}

/**
 * Two pending rows whose created_at order is not their id order: a writer begins its transaction
 * (created_at is its start), another row is inserted and committed, then the writer inserts its
 * row and commits. Returns the ids, lowest first: the second began first.
 */
export async function beganFirstDrewLast(course: Course): Promise<number[]> {
  const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
  const alan = await addUser(course, 'Alan Turing', 'alan@example.com');
  const writer = await course.db.connect();
  try {
    await writer.query('BEGIN');
    await writer.query('SELECT pg_sleep(0.02)');
    const early = await pendingEvent(course, ada);
    const late = await pendingEvent(course, alan, writer);
    await writer.query('COMMIT');
    return [early, late];
  } finally {
    await writer.query('ROLLBACK').catch(() => {});
    writer.release();
  }
}

/** Fails unless exactly `ids` are still pending. */
export async function stillPending(course: Course, ids: number[], why: string): Promise<void> {
  const pending = await pendingIds(course);
  demand(isDeepStrictEqual(pending, ids), `rows ${show(ids)} still pending: ${why}`, show(await outboxRows(course)));
}

/** Runs `fn` while the learner's Redis user may not run `commands` (answered NOPERM). */
export async function denied<T>(course: Course, commands: string[], fn: () => Promise<T>): Promise<T> {
  await course.denyRedis(...commands);
  try {
    return await fn();
  } finally {
    await course.allowRedis();
  }
}

/** Caches a copy of each user, as the read path of lesson 04 would. */
export async function cacheUsers(course: Course, users: User[]): Promise<void> {
  for (const u of users) await course.redis.set(`user:${u.id}`, JSON.stringify(u), { EX: 300 });
}

/** Two relays, one of them behind a Redis whose replies take 15 ms, each passing until it finds nothing. */
export async function twoRelayLoops(course: Course, pass: (stores: ObservedStores, label: string) => Promise<number>) {
  const proxy = await course.proxy('redis');
  const slow = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  const fast = await course.stores();
  Object.assign(proxy, { mode: 'slow', delayMs: 15 });
  const loop = async (stores: ObservedStores, name: string) => {
    for (let n = 1; n <= 40; n += 1) if ((await pass(stores, `${name}, pass ${n}`)) === 0) return;
  };
  await Promise.all([loop(slow, ' (a slow relay)'), loop(fast, ' (a fast relay)')]);
}

/**
 * One pending row (the oldest), then two more that take the room a cleanup job freed at the start
 * of the table (sent rows deleted, VACUUM): in the table, the newer rows come first.
 */
export async function olderRowLast(course: Course): Promise<number[]> {
  const { users } = await seed(course, 3);
  await course.db.query('UPDATE outbox SET sent_at = now()');
  const oldest = await pendingEvent(course, users[0]!);
  await course.db.query('DELETE FROM outbox WHERE sent_at IS NOT NULL');
  await course.db.query('VACUUM outbox');
  return [oldest, await pendingEvent(course, users[1]!), await pendingEvent(course, users[2]!)];
}
