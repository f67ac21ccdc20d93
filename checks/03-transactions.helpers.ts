// What the checks of exercise 03 judge a transfer by: the balances and the ledger as Postgres holds
// them, the transactions a change was made in, and connections left inside a transaction.
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { Course } from './harness/course.ts';
import { describeEscaped, escapedDuring } from './harness/escaped.ts';
import { demand, errorText, isTodo, rejects, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';

type Transfer = typeof import('../solutions/03-transactions/ledger.ts').transfer;

export interface Snapshot {
  balances: Record<number, number>;
  ledger: { from_account: number; to_account: number; amount_cents: number }[];
}

export async function accounts(course: Course, list: [id: number, balance: number][]): Promise<void> {
  for (const [id, balance] of list) {
    await course.db.query('INSERT INTO accounts (id, owner, balance_cents) VALUES ($1, $2, $3)', [
      id,
      `owner ${id}`,
      balance,
    ]);
  }
}

export async function snapshot(course: Course): Promise<Snapshot> {
  const a = await course.db.query<{ id: number; balance_cents: number }>(
    'SELECT id, balance_cents FROM accounts ORDER BY id',
  );
  const l = await course.db.query('SELECT from_account, to_account, amount_cents FROM ledger ORDER BY id');
  return { balances: Object.fromEntries(a.rows.map((r) => [r.id, r.balance_cents])), ledger: l.rows };
}

/** Connections of this database left inside a transaction: a failed transfer that never rolled back. */
export async function openTransactions(course: Course): Promise<string | undefined> {
  const { rows } = await course.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
  );
  const n = rows[0]?.n ?? 0;
  return n === 0
    ? undefined
    : `${n} connection(s) back in the pool still inside an open transaction, holding its locks`;
}

/** Records, for every row the code changes, the transaction and the server process that changed it. */
export async function auditChanges(
  course: Course,
): Promise<() => Promise<{ tx: string; pid: number; change: string }[]>> {
  await course.db.query(`CREATE TABLE audit (tx text, pid int, change text);
    CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN INSERT INTO audit VALUES (txid_current()::text, pg_backend_pid(), TG_OP || ' ' || TG_TABLE_NAME);
      RETURN NULL; END $$;
    CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION audit();
    CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION audit();`);
  return async () => (await course.db.query('SELECT tx, pid, change FROM audit')).rows;
}

export async function lockWaiters(course: Course): Promise<number> {
  const { rows } = await course.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0]?.n ?? 0;
}

export function released(pool: pg.Pool): string | undefined {
  if (pool.totalCount === pool.idleCount && pool.waitingCount === 0) return undefined;
  return `${pool.totalCount - pool.idleCount} of ${pool.totalCount} pooled client(s) still checked out, ${pool.waitingCount} waiting`;
}

/** Demands that `run` rejects and leaves balances, ledger and transactions as they were; returns the error. */
export async function unchangedAfter(
  course: Course,
  label: string,
  why: string,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const before = await snapshot(course);
  const error = await rejects(label, why, run);
  const after = await snapshot(course);
  demand(
    isDeepStrictEqual(before, after),
    `nothing changed after ${label} rejected`,
    `balances ${show(before.balances)} became ${show(after.balances)}; ledger rows ${before.ledger.length} → ${after.ledger.length}`,
  );
  const open = await openTransactions(course);
  demand(!open, `the transaction ended (ROLLBACK) after ${label} rejected`, open ?? '');
  return error;
}

/**
 * A failure the ROLLBACK cannot mend: the check holds account 1's row, and the pool's query_timeout
 * gives up on every statement of the transfer, then on its ROLLBACK, queued behind the statement
 * still waiting on the server: the connection is open, still inside the transaction. The lock is
 * held until that ROLLBACK has timed out too.
 */
export async function rollbackThatFails(course: Course, transfer: Transfer): Promise<void> {
  const QUERY_TIMEOUT_MS = 400;
  const { db } = await course.stores({ pool: { max: 1, query_timeout: QUERY_TIMEOUT_MS } });
  const holder = await course.db.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE');
  const label = `transfer(db, { from: 1, to: 2, amountCents: 100 }) while account 1 is locked elsewhere, on a pool whose query_timeout (${QUERY_TIMEOUT_MS} ms) gives up on every statement, the ROLLBACK included`;
  const { outcome, escaped } = await escapedDuring(async () => {
    try {
      const result = await settle(label, () => transfer(db, { from: 1, to: 2, amountCents: 100 }), 4000);
      await sleep(QUERY_TIMEOUT_MS + 300);
      return result;
    } finally {
      await holder.query('COMMIT').catch(() => {});
      holder.release();
      // The statement the transfer gave up on gets its lock now; then the connection settles one way or the other.
      await waitUntil(async () => (await lockWaiters(course)) === 0 && !(await openTransactions(course)), 1500);
    }
  }, 300);
  if (outcome.threw) throw outcome.error;
  const result = outcome.value;
  demand(!result.ok && !isTodo(result.error), `${label} to reject`, result.ok ? 'it resolved' : 'the stub threw TODO');
  demand(
    escaped.length === 0,
    'every ROLLBACK awaited, and its failure handled: a ROLLBACK sent and not awaited fails with nobody listening (an unhandled rejection ends a Node process), and its client went back to the pool before it ran',
    describeEscaped(escaped),
  );
  const leak = released(db);
  demand(
    !leak,
    'the client given back even when the ROLLBACK itself fails (release() in a finally block, which runs whatever the catch block throws)',
    leak ?? '',
  );
  const open = await openTransactions(course);
  demand(
    !open,
    'a client whose ROLLBACK failed released with that error, release(err): the pool then closes its connection instead of lending it out again still inside the transaction',
    `${open ?? ''}; ${db.totalCount} connection(s) kept in the pool`,
  );
}

/**
 * Two transfers in opposite directions between accounts 1 and 2, let go at the same moment: the
 * check holds both rows locked while they start, so each takes its first lock as the other does.
 * Code that locks the sender first deadlocks, and Postgres aborts one of the two with 40P01.
 */
export async function oppositeTransfers(course: Course, transfer: Transfer, db: pg.Pool) {
  await accounts(course, [
    [1, 1000],
    [2, 1000],
  ]);
  const holder = await course.db.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM accounts WHERE id IN (1, 2) ORDER BY id FOR UPDATE');
    let settled = false;
    const running = Promise.all([
      settle('transfer of 100 cents from 1 to 2', () => transfer(db, { from: 1, to: 2, amountCents: 100 }), 10_000),
      settle('transfer of 300 cents from 2 to 1', () => transfer(db, { from: 2, to: 1, amountCents: 300 }), 10_000),
    ]).finally(() => (settled = true));
    await waitUntil(async () => settled || (await lockWaiters(course)) >= 2, 3000);
    await holder.query('COMMIT');
    const outcomes = await running;
    const todo = outcomes.find((o) => !o.ok && isTodo(o.error));
    demand(!todo, 'the transfers to run', 'the stub threw TODO');
    const after = await snapshot(course);
    demand(
      outcomes.every((o) => o.ok) &&
        after.balances[1] === 1200 &&
        after.balances[2] === 800 &&
        after.ledger.length === 2,
      'both transfers to go through: 1 → 2 (100 cents) and 2 → 1 (300 cents) at the same moment, balances 1200 and 800. ' +
        'Lock the two rows in a fixed order, lowest id first (… ORDER BY id FOR UPDATE): locked sender first, ' +
        'each waits for the row the other holds, and Postgres ends one with a deadlock (40P01). Lesson 03: lock in a fixed order',
      `${outcomes.map((o) => (o.ok ? 'succeeded' : `rejected: ${errorText(o.error)}`)).join('; ')}; balances ${show(after.balances)}`,
    );
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
  }
}
