// Helpers of checks/12-reserve-stock.check.ts: what the tables hold, who waits for a lock, which
// sessions the code left inside a transaction, a row lock held by the check, and another shopper
// who buys the moment a reservation commits (the faults are in 12-reserve-stock.faults.ts).
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { Course } from './harness/course.ts';
import { demand, errorText, isTodo, rejects, settle, show, type Settled } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';

export interface Snapshot {
  stock: Record<string, number>;
  reservations: { request_id: string; sku: string; quantity: number }[];
}

export interface Request {
  requestId: string;
  sku: string;
  quantity: number;
}

export const request = (requestId: string, quantity: number, sku = 'tea-green'): Request => ({
  requestId,
  sku,
  quantity,
});

export const label = (r: Request) => `reserveStock(db, ${show(r)})`;

/** The stub's TODO is not an outcome: the check says "write the code first" instead of judging it. */
export function ran(outcomes: Settled<unknown>[]): void {
  demand(!outcomes.some((o) => !o.ok && isTodo(o.error)), 'the call(s) to run', 'the stub threw TODO');
}

/** Demands that `run` rejects and that the tables are as they were; returns the error. */
export async function unchangedAfter(course: Course, what: string, why: string, run: () => Promise<unknown>) {
  const before = await snapshot(course);
  const error = await rejects(what, why, run);
  const after = await snapshot(course);
  demand(
    isDeepStrictEqual(before, after),
    `nothing changed after ${what} rejected`,
    `${picture(before)} became ${picture(after)}`,
  );
  return error;
}

/** Demands an UnknownSkuError (`exported`: of the class the code exports) that says `sku` is unknown. */
export function namesTheSku(error: unknown, exported: boolean, sku: string): void {
  const { name, sku: its, message } = (error ?? {}) as { name?: unknown; sku?: unknown; message?: unknown };
  demand(
    exported && name === 'UnknownSkuError' && its === sku && String(message).includes(sku),
    `new UnknownSkuError(sku), the class reserve-stock.ts exports as written: its name, its sku and its message say ${sku} is unknown`,
    `${errorText(error)} (its sku: ${show(its)})`,
  );
}

/** Demands `value` deep-equal to `expected`, saying why that is the answer. */
export function answered(value: unknown, expected: unknown, why: string): void {
  demand(isDeepStrictEqual(value, expected), `${show(expected)}: ${why}`, show(value));
}

/** Demands that no session of the code sits inside a transaction. */
export async function ended(course: Course, why: string): Promise<void> {
  const open = await openTransactions(course);
  demand(!open, why, open ?? '');
}

/** Judges 50 calls of 1 unit each for the last `units` units: what they answered, and what the tables hold. */
export async function judgeRace(
  course: Course,
  outcomes: Settled<{ reserved: boolean; remaining: number }>[],
  units: number,
) {
  ran(outcomes);
  const failed = outcomes.filter((o) => !o.ok);
  demand(
    failed.length === 0,
    'every call answered, reserved or not (a call waits its turn for the row lock; a lock timeout of 1 to 2 s is plenty here)',
    () => `${failed.length} of ${outcomes.length} rejected, e.g. ${outcomeText(failed[0]!)}`,
  );
  const answers = outcomes.map((o) => (o.ok ? o.value : undefined));
  const won = answers.filter((a) => a?.reserved === true);
  const after = await snapshot(course);
  demand(
    won.length === units && after.stock['tea-green'] === 0 && after.reservations.length === units,
    `exactly ${units} of ${outcomes.length} reserved (${units} units), tea-green at 0, never below, and ${units} reservation rows (take the units with UPDATE … SET available = available - $2 WHERE … AND available >= $2, or lock the row with SELECT … FOR UPDATE)`,
    `${won.length} answered reserved; ${picture(after)}`,
  );
  const remaining = won.map((a) => a!.remaining).sort((a, b) => a - b);
  const refusals = [...new Set(answers.filter((a) => a?.reserved === false).map((a) => a!.remaining))];
  demand(
    isDeepStrictEqual(remaining, [...Array(units).keys()]) && refusals.every((r) => r === 0),
    `each success reported the count its own transaction left (${units - 1}, …, 0, once each), and each refusal the 0 it found`,
    `remaining reported by the successes: ${show(remaining)}; by the refusals: ${show(refusals)}`,
  );
}

/** Demands every client back in `pool` and no session of the code left inside a transaction. */
export async function released(course: Course, pool: pg.Pool, after: string): Promise<void> {
  const leak = checkedOut(pool) ?? (await openTransactions(course));
  demand(!leak, `every client back in the pool, its transaction ended, after ${after}`, leak ?? '');
}

export async function seed(course: Course, stock: Record<string, number>): Promise<void> {
  for (const [sku, available] of Object.entries(stock)) {
    await course.db.query('INSERT INTO stock (sku, available) VALUES ($1, $2)', [sku, available]);
  }
}

export async function snapshot(course: Course): Promise<Snapshot> {
  const s = await course.db.query<{ sku: string; available: number }>('SELECT sku, available FROM stock ORDER BY sku');
  const r = await course.db.query<Snapshot['reservations'][number]>(
    'SELECT request_id, sku, quantity FROM reservations ORDER BY request_id',
  );
  return { stock: Object.fromEntries(s.rows.map((row) => [row.sku, row.available])), reservations: r.rows };
}

export function picture(s: Snapshot): string {
  const rows = s.reservations.map((r) => `${r.request_id}: ${r.quantity} × ${r.sku}`);
  return `stock ${show(s.stock)}; ${s.reservations.length} reservation row(s)${rows.length ? ` (${rows.slice(0, 6).join(', ')}${rows.length > 6 ? ', …' : ''})` : ''}`;
}

/** Sessions of the code under check (its role) sitting inside a transaction between statements. */
export async function openTransactions(course: Course): Promise<string | undefined> {
  const { rows } = await course.db.query<{ state: string }>(
    `SELECT state FROM pg_stat_activity
      WHERE datname = current_database() AND usename = $1 AND state LIKE 'idle in transaction%'`,
    [course.databaseName],
  );
  return rows.length === 0
    ? undefined
    : `${rows.length} connection(s) of the pool left "${rows[0]!.state}": a transaction never ended, its locks still held`;
}

/** Sessions of this database waiting for a lock. */
export async function lockWaiters(course: Course): Promise<number> {
  const { rows } = await course.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0]?.n ?? 0;
}

export function checkedOut(pool: pg.Pool): string | undefined {
  if (pool.totalCount === pool.idleCount && pool.waitingCount === 0) return undefined;
  return `${pool.totalCount - pool.idleCount} of ${pool.totalCount} pooled client(s) still checked out, ${pool.waitingCount} caller(s) waiting for one`;
}

/** The check's own transaction holding `sku`'s stock row with SELECT … FOR UPDATE until release(). */
export async function holdRow(course: Course, sku: string): Promise<{ release(): Promise<void> }> {
  const holder = await course.db.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT 1 FROM stock WHERE sku = $1 FOR UPDATE', [sku]);
  let done = false;
  return {
    async release() {
      if (done) return;
      done = true;
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    },
  };
}

/** Runs `calls` while the check holds `sku`'s row, letting go once `waiters` sessions wait (or `holdMs` passed). */
export async function whileHeld<T>(
  course: Course,
  sku: string,
  waiters: number,
  calls: () => Promise<T>[],
  holdMs = 600,
): Promise<T[]> {
  const held = await holdRow(course, sku);
  try {
    let settled = false;
    const running = Promise.all(calls()).finally(() => (settled = true));
    running.catch(() => {});
    await waitUntil(async () => settled || (await lockWaiters(course)) >= waiters, holdMs, 10);
    await held.release();
    return await running;
  } finally {
    await held.release();
  }
}

/** The lock_timeout of a connection of `db`, as SHOW prints it. */
export async function lockTimeoutOf(db: pg.Pool): Promise<string | undefined> {
  const { rows } = await db.query<{ v: string }>("SELECT current_setting('lock_timeout') AS v");
  return rows[0]?.v;
}

/** Demands the pooled connection's lock_timeout as it was before the code ran. */
export async function lockTimeoutKept(db: pg.Pool, before: string | undefined): Promise<void> {
  const now = await lockTimeoutOf(db);
  demand(
    now === before,
    `the pooled connection's lock_timeout still ${show(before)} afterwards: SET LOCAL lasts until the transaction ends, a plain SET stays with the connection for its next borrower`,
    `lock_timeout is ${show(now)}`,
  );
}

/** Demands that every one of `more` calls (after the paths) reserved, leaving tea-green at `left`. */
export async function allReserved(course: Course, more: Settled<{ reserved: boolean }>[], left: number): Promise<void> {
  const after = await snapshot(course);
  demand(
    more.every((o) => o.ok && o.value.reserved) && after.stock['tea-green'] === left,
    `${more.length} more calls all reserved on the same 2 clients, tea-green at ${left} (20 − a, d, e and g0…g7)`,
    `${more.map(outcomeText).slice(0, 3).join('; ')}; ${picture(after)}`,
  );
}

/** A pool for the code whose every answer from Postgres arrives `delayMs` late, one connection already open. */
export async function slowedPool(course: Course, delayMs: number): Promise<pg.Pool> {
  const proxy = await course.proxy('postgres');
  const { db } = await course.stores({ pool: { connectionString: proxy.urlFor(course.databaseUrl) } });
  await db.query('SELECT 1');
  proxy.mode = 'slow';
  proxy.delayMs = delayMs;
  return db;
}

/**
 * Another shopper: waits (on the check's own connection) until `sku` shows `committed` units, the
 * code's reservation committed, then takes one unit at once. The code's connection runs through a
 * slowed proxy, so this lands between its COMMIT and anything it sends next.
 */
export async function buyAfterCommit(
  course: Course,
  sku: string,
  committed: number,
  call: Promise<unknown>,
): Promise<boolean> {
  let over = false;
  void call.finally(() => (over = true));
  const seen = await waitUntil(
    async () => {
      if (over) return true;
      const { rows } = await course.db.query<{ a: number }>('SELECT available AS a FROM stock WHERE sku = $1', [sku]);
      return rows[0]?.a === committed;
    },
    5000,
    2,
  );
  if (!seen || over) return false;
  await course.db.query('UPDATE stock SET available = available - 1 WHERE sku = $1', [sku]);
  return true;
}

/** The SQLSTATE of an error or of one of its causes. */
export function sqlstate(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function outcomeText(o: Settled<unknown>): string {
  return o.ok
    ? `resolved ${show(o.value)}`
    : `rejected: ${errorText(o.error)}${sqlstate(o.error) ? ` (SQLSTATE ${sqlstate(o.error)})` : ''}`;
}

/**
 * A pool of 1 whose line to Postgres goes silent for one call: every statement gives up after the
 * pool's query_timeout, the ROLLBACK included, so the client can only go back as broken
 * (release(err)). Then the line works again, and the next call must get a client that works.
 */
export async function afterSilentLine(
  course: Course,
  run: (db: pg.Pool, r: Request) => Promise<unknown>,
  left: number,
): Promise<void> {
  const proxy = await course.proxy('postgres');
  const url = proxy.urlFor(course.databaseUrl);
  const { db } = await course.stores({ pool: { connectionString: url, max: 1, query_timeout: 300 } });
  await db.query('SELECT 1');
  proxy.mode = 'blackhole';
  const silent = request('h', 1);
  const what = `${label(silent)} while Postgres does not answer (the pool's query_timeout is 300 ms), on a pool of 1`;
  const first = await settle(what, () => run(db, silent), 4000);
  proxy.mode = 'pass';
  ran([first]);
  demand(!first.ok, 'a rejection: no statement got an answer, not even the ROLLBACK', `it ${outcomeText(first)}`);
  const next = request('i', 1);
  const then = await settle(
    `then ${label(next)}, Postgres answering again, on the same pool`,
    () => run(db, next),
    4000,
  );
  demand(
    then.ok && isDeepStrictEqual(then.value, { reserved: true, remaining: left }),
    `{ reserved: true, remaining: ${left} }: the client whose ROLLBACK failed went back with release(err), so the pool opened a new connection (after a plain release() the next caller gets a connection still waiting for answers that never come)`,
    `it ${outcomeText(then)}`,
  );
}
