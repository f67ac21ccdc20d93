// Helpers of checks/12-reserve-stock.check.ts: what the tables hold, who waits for a lock, which
// sessions the code left inside a transaction, a row lock held by the check, and faults injected
// inside Postgres (a trigger on reservations) with a record of every attempt that reached it.
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { Course } from './harness/course.ts';
import { demand, errorText, isTodo, rejects, show, type Settled } from './harness/teach.ts';
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

export type Fault = `${string}@${'insert' | 'commit'}`;

export interface Injected {
  /** How many attempts reached the reservations table, and each one's transaction id. */
  attempts(): Promise<{ n: number; txids: string[] }>;
  remove(): Promise<void>;
}

const RECORDED = 12;

/** Runs `fn` with faults injected in Postgres (see injectFaults), and removes them whatever happens. */
export async function withFaults<T>(
  course: Course,
  plan: Fault[],
  forever: boolean,
  fn: (faults: Injected) => Promise<T>,
): Promise<T> {
  const faults = await injectFaults(course, plan, forever);
  try {
    return await fn(faults);
  } finally {
    await faults.remove();
  }
}

/**
 * Makes the code's INSERT into reservations fail inside Postgres: attempt n (counted by a sequence,
 * which a ROLLBACK does not undo) meets `plan[n - 1]` (`'40001@insert'` raises at the INSERT,
 * `'40001@commit'` at COMMIT, through a deferred constraint trigger), or `plan[0]` every time with
 * `forever`. Each attempt's txid_current() is kept in a sequence of its own, for the same reason.
 */
export async function injectFaults(course: Course, plan: Fault[], forever = false): Promise<Injected> {
  const steps = `ARRAY[${plan.map((p) => `'${p}'`).join(', ')}]::text[]`;
  const sequences = Array.from({ length: RECORDED }, (_, i) => `CREATE SEQUENCE course_attempt_tx_${i + 1};`).join(
    '\n',
  );
  await course.db.query(`
    CREATE SEQUENCE course_attempts;
    ${sequences}
    CREATE FUNCTION course_fault() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      DECLARE n bigint := nextval('course_attempts'); step text;
      BEGIN
        IF n <= ${RECORDED} THEN PERFORM setval('course_attempt_tx_' || n, txid_current()); END IF;
        step := (${steps})[CASE WHEN ${forever} THEN 1 ELSE n END];
        IF step IS NULL THEN RETURN NEW; END IF;
        IF split_part(step, '@', 2) = 'commit' THEN
          PERFORM set_config('course.fail_at_commit', split_part(step, '@', 1), true);
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = split_part(step, '@', 1),
          MESSAGE = CASE split_part(step, '@', 1)
            WHEN '40001' THEN 'could not serialize access (injected by the check, attempt ' || n || ')'
            WHEN '40P01' THEN 'deadlock detected (injected by the check, attempt ' || n || ')'
            ELSE 'the reservations ledger is closed for stock-taking (injected by the check)' END;
      END $$;
    CREATE FUNCTION course_fault_at_commit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      DECLARE code text := coalesce(current_setting('course.fail_at_commit', true), '');
      BEGIN
        IF code <> '' THEN
          RAISE EXCEPTION USING ERRCODE = code,
            MESSAGE = 'could not serialize access (injected by the check at COMMIT)';
        END IF;
        RETURN NULL;
      END $$;
    CREATE TRIGGER course_fault BEFORE INSERT ON reservations FOR EACH ROW EXECUTE FUNCTION course_fault();
    CREATE CONSTRAINT TRIGGER course_fault_at_commit AFTER INSERT ON reservations
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION course_fault_at_commit();`);
  return {
    async attempts() {
      const { rows } = await course.db.query<{ n: string }>(
        'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM course_attempts',
      );
      const n = Number(rows[0]?.n ?? 0);
      const txids: string[] = [];
      for (let i = 1; i <= Math.min(n, RECORDED); i++) {
        const t = await course.db.query<{ v: string }>(`SELECT last_value::text AS v FROM course_attempt_tx_${i}`);
        txids.push(t.rows[0]!.v);
      }
      return { n, txids };
    },
    async remove() {
      const drops = Array.from({ length: RECORDED }, (_, i) => `DROP SEQUENCE IF EXISTS course_attempt_tx_${i + 1};`);
      await course.db.query(`DROP TRIGGER IF EXISTS course_fault ON reservations;
        DROP TRIGGER IF EXISTS course_fault_at_commit ON reservations;
        DROP FUNCTION IF EXISTS course_fault(); DROP FUNCTION IF EXISTS course_fault_at_commit();
        DROP SEQUENCE IF EXISTS course_attempts; ${drops.join(' ')}`);
    },
  };
}

/** The 32-bit transaction id that wrote a row (xmin), comparable with txid_current() modulo 2^32. */
export async function writer(
  course: Course,
  table: 'stock' | 'reservations',
  key: string,
): Promise<string | undefined> {
  const column = table === 'stock' ? 'sku' : 'request_id';
  const { rows } = await course.db.query<{ x: string }>(`SELECT xmin::text AS x FROM ${table} WHERE ${column} = $1`, [
    key,
  ]);
  return rows[0]?.x;
}

export const xidOf = (txid: string): string => String(BigInt(txid) % 2n ** 32n);

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
