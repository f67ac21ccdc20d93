import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeSql } from './harness/observe.ts';
import { call, CheckFailure, demand, errorText, isTodo, rejects, settle, show, type Settled } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';

type Module = typeof import('../solutions/03-transactions/ledger.ts');

const course = useCourse('03');
const { transfer, InsufficientFundsError } = await course.load<Module>();

interface Snapshot {
  balances: Record<number, number>;
  ledger: { from_account: number; to_account: number; amount_cents: number }[];
}

async function accounts(list: [id: number, balance: number][]): Promise<void> {
  for (const [id, balance] of list) {
    await course.db.query('INSERT INTO accounts (id, owner, balance_cents) VALUES ($1, $2, $3)', [
      id,
      `owner ${id}`,
      balance,
    ]);
  }
}

async function snapshot(): Promise<Snapshot> {
  const a = await course.db.query<{ id: number; balance_cents: number }>(
    'SELECT id, balance_cents FROM accounts ORDER BY id',
  );
  const l = await course.db.query('SELECT from_account, to_account, amount_cents FROM ledger ORDER BY id');
  return { balances: Object.fromEntries(a.rows.map((r) => [r.id, r.balance_cents])), ledger: l.rows };
}

/** Connections of this database left inside a transaction: a failed transfer that never rolled back. */
async function openTransactions(): Promise<string | undefined> {
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
async function auditChanges(): Promise<() => Promise<{ tx: string; pid: number; change: string }[]>> {
  await course.db.query(`CREATE TABLE audit (tx text, pid int, change text);
    CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN INSERT INTO audit VALUES (txid_current()::text, pg_backend_pid(), TG_OP || ' ' || TG_TABLE_NAME);
      RETURN NULL; END $$;
    CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION audit();
    CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION audit();`);
  return async () => (await course.db.query('SELECT tx, pid, change FROM audit')).rows;
}

async function lockWaiters(): Promise<number> {
  const { rows } = await course.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0]?.n ?? 0;
}

function released(pool: pg.Pool): string | undefined {
  if (pool.totalCount === pool.idleCount && pool.waitingCount === 0) return undefined;
  return `${pool.totalCount - pool.idleCount} of ${pool.totalCount} pooled client(s) still checked out, ${pool.waitingCount} waiting`;
}

async function unchangedAfter(label: string, why: string, run: () => Promise<unknown>): Promise<void> {
  const before = await snapshot();
  await rejects(label, why, run);
  const after = await snapshot();
  demand(
    isDeepStrictEqual(before, after),
    `nothing changed after ${label} rejected`,
    `balances ${show(before.balances)} became ${show(after.balances)}; ledger rows ${before.ledger.length} → ${after.ledger.length}`,
  );
  const open = await openTransactions();
  demand(!open, `the transaction ended (ROLLBACK) after ${label} rejected`, open ?? '');
}

describe('03 · transactions', () => {
  it('moves the money and writes one ledger row', async () => {
    await accounts([
      [1, 1000],
      [2, 500],
    ]);
    const { db } = await course.stores();
    await call('transfer(db, { from: 1, to: 2, amountCents: 300 })', () =>
      transfer(db, { from: 1, to: 2, amountCents: 300 }),
    );
    const after = await snapshot();
    demand(
      after.balances[1] === 700 && after.balances[2] === 800,
      'balances 1 → 700 and 2 → 800 cents',
      show(after.balances),
    );
    demand(
      isDeepStrictEqual(after.ledger, [{ from_account: 1, to_account: 2, amount_cents: 300 }]),
      'one ledger row: from 1, to 2, 300 cents',
      show(after.ledger),
    );
  });

  it('runs BEGIN, the statements and COMMIT on one pooled connection', async () => {
    await accounts([
      [1, 1000],
      [2, 500],
    ]);
    const changes = await auditChanges();
    try {
      // maxUses: 1 retires a connection when it goes back to the pool, so db.query() never reuses one.
      const { db } = await course.stores({ pool: { maxUses: 1 } });
      await call('transfer(db, { from: 1, to: 2, amountCents: 300 }) on a pool that never reuses a connection', () =>
        transfer(db, { from: 1, to: 2, amountCents: 300 }),
      );
      const seen = await changes();
      const after = await snapshot();
      const txs = new Set(seen.map((c) => c.tx));
      demand(
        seen.length >= 3 && txs.size === 1 && after.balances[1] === 700 && after.ledger.length === 1,
        'both balance updates and the ledger row made in one transaction, on one client (db.connect(), then BEGIN … COMMIT through it); db.query() may use a different connection each time',
        `${seen.length} row change(s) in ${txs.size} transaction(s): ${show(seen.map((c) => `${c.change} (tx ${c.tx}, server process ${c.pid})`))}; balances ${show(after.balances)}\n` +
          describeSql(course.sql) +
          `\nconnections used: ${show([...new Set(course.sql.map((q) => q.connection))])}`,
      );
    } finally {
      await course.db.query('DROP TABLE IF EXISTS audit CASCADE; DROP FUNCTION IF EXISTS audit() CASCADE;');
    }
  });

  it('changes nothing when a statement fails halfway', async () => {
    await accounts([
      [1, 1000],
      [2, 500],
      [3, 0],
    ]);
    // Account 3 is frozen: any change to it fails inside Postgres, after the other account may have changed.
    await course.db.query(`CREATE FUNCTION frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'account 3 is frozen'; END $$;
      CREATE TRIGGER frozen BEFORE UPDATE ON accounts FOR EACH ROW WHEN (OLD.id = 3) EXECUTE FUNCTION frozen();`);
    const { db } = await course.stores();
    try {
      await unchangedAfter('transfer(db, { from: 1, to: 3, amountCents: 100 })', 'account 3 refuses every update', () =>
        transfer(db, { from: 1, to: 3, amountCents: 100 }),
      );
      await course.db.query('ALTER TABLE accounts DISABLE TRIGGER frozen');
      await course.db.query('UPDATE accounts SET balance_cents = 400 WHERE id = 3');
      await course.db.query('ALTER TABLE accounts ENABLE TRIGGER frozen');
      await unchangedAfter('transfer(db, { from: 3, to: 1, amountCents: 100 })', 'account 3 refuses every update', () =>
        transfer(db, { from: 3, to: 1, amountCents: 100 }),
      );
      // And a ledger that refuses the row: the balances must roll back with it.
      await course.db.query(`CREATE FUNCTION closed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the ledger is closed'; END $$;
        CREATE TRIGGER closed BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION closed();`);
      await unchangedAfter(
        'transfer(db, { from: 1, to: 2, amountCents: 100 }) while the ledger refuses rows',
        'the ledger row could not be written, so the whole transfer must not happen',
        () => transfer(db, { from: 1, to: 2, amountCents: 100 }),
      );
    } finally {
      await course.db.query(
        'DROP TRIGGER IF EXISTS frozen ON accounts; DROP TRIGGER IF EXISTS closed ON ledger; DROP FUNCTION IF EXISTS frozen(); DROP FUNCTION IF EXISTS closed();',
      );
    }
  });

  it('refuses an overdraft with InsufficientFundsError, changing nothing', async () => {
    await accounts([
      [1, 100],
      [2, 500],
    ]);
    const { db } = await course.stores();
    const before = await snapshot();
    const error = await rejects(
      'transfer(db, { from: 1, to: 2, amountCents: 500 })',
      'account 1 holds only 100 cents',
      () => transfer(db, { from: 1, to: 2, amountCents: 500 }),
    );
    demand(
      error instanceof InsufficientFundsError,
      'an InsufficientFundsError (the class exported by ledger.ts)',
      errorText(error),
    );
    const after = await snapshot();
    demand(isDeepStrictEqual(before, after), 'balances and ledger unchanged', `${show(before)} became ${show(after)}`);
    const open = await openTransactions();
    demand(!open, 'the transaction ended with ROLLBACK before the error travelled up', open ?? '');
  });

  it('rejects a non-positive amount, the same account or an unknown account, changing nothing', async () => {
    await accounts([
      [1, 1000],
      [2, 500],
    ]);
    const { db } = await course.stores();
    const cases: [string, { from: number; to: number; amountCents: number }][] = [
      ['a zero amount', { from: 1, to: 2, amountCents: 0 }],
      ['a negative amount (it would move money backwards)', { from: 1, to: 2, amountCents: -250 }],
      ['the same account on both sides', { from: 1, to: 1, amountCents: 100 }],
      ['an unknown destination account', { from: 1, to: 99, amountCents: 100 }],
      ['an unknown source account', { from: 99, to: 1, amountCents: 100 }],
    ];
    for (const [why, t] of cases) await unchangedAfter(`transfer(db, ${show(t)})`, why, () => transfer(db, t));
  });

  it('never overdraws under 20 concurrent transfers', async () => {
    await accounts([
      [1, 1000],
      [2, 500],
    ]);
    const { db } = await course.stores({ pool: { max: 20 } });
    // The check holds account 1's row lock while the 20 transfers start, so all of them read the balance
    // before any can commit: code that reads without FOR UPDATE sees 1000 cents twenty times.
    const holder = await course.db.connect();
    let outcomes: Settled<void>[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM accounts WHERE id = 1 FOR UPDATE');
      let settled = false;
      const running = Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          settle(
            `transfer #${i + 1} of 20 concurrent transfers of 100 cents from account 1`,
            () => transfer(db, { from: 1, to: 2, amountCents: 100 }),
            10_000,
          ),
        ),
      ).finally(() => (settled = true));
      await waitUntil(async () => settled || (await lockWaiters()) >= 20, 3000);
      await holder.query('COMMIT');
      outcomes = await running.catch(async (error: unknown) => {
        // A hung transfer: say why when the server shows it (a failed transfer's transaction left open).
        const open = await openTransactions();
        throw open
          ? new CheckFailure(
              `${error instanceof Error ? error.message : String(error)}\n${open}: a failed transfer must ROLLBACK`,
            )
          : error;
      });
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
    const ok = outcomes.filter((o) => o.ok).length;
    const todo = outcomes.find((o) => !o.ok && isTodo(o.error));
    demand(!todo, 'the transfers to run', 'the stub threw TODO');
    const refused = outcomes.filter((o) => !o.ok && o.error instanceof InsufficientFundsError).length;
    const other = outcomes.find((o) => !o.ok && !(o.error instanceof InsufficientFundsError));
    const after = await snapshot();
    demand(
      after.balances[1] === 0 && after.balances[2] === 1500 && after.ledger.length === 10 && ok === 10,
      'exactly 10 transfers succeed (1000 cents / 100), account 1 ends at 0, never below (lock the rows: SELECT … FOR UPDATE)',
      `${ok} succeeded; balances ${show(after.balances)}; ${after.ledger.length} ledger rows`,
    );
    demand(
      refused === 10,
      'the other 10 rejected with InsufficientFundsError',
      `${refused} InsufficientFundsError${other && !other.ok ? `; another error: ${errorText(other.error)}` : ''}`,
    );
  });

  it('releases every pooled client, after success and after every failure', async () => {
    await accounts([
      [1, 1000],
      [2, 500],
    ]);
    const { db } = await course.stores({ pool: { max: 2 } });
    const attempts: [string, { from: number; to: number; amountCents: number }][] = [
      ['a good transfer', { from: 1, to: 2, amountCents: 100 }],
      ['an overdraft', { from: 1, to: 2, amountCents: 10_000 }],
      ['an unknown account', { from: 1, to: 99, amountCents: 100 }],
      ['an overdraft again', { from: 1, to: 2, amountCents: 10_000 }],
      ['an unknown account again', { from: 99, to: 1, amountCents: 100 }],
      ['a last good transfer (needs a free client)', { from: 1, to: 2, amountCents: 100 }],
    ];
    for (const [what, t] of attempts) {
      const outcome = await settle(
        `transfer(db, ${show(t)}) — ${what} — on a pool of 2 clients`,
        () => transfer(db, t),
        4000,
      );
      demand(outcome.ok || !isTodo(outcome.error), 'the transfer to run', 'the stub threw TODO');
      const leak = released(db);
      demand(!leak, `every client back in the pool after ${what} (release() in a finally block)`, leak ?? '');
    }
    const after = await snapshot();
    demand(after.balances[1] === 800, 'both good transfers to have happened', show(after.balances));
  });
});
