import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeSql } from './harness/observe.ts';
import {
  call,
  CheckFailure,
  demand,
  errorText,
  isTodo,
  messagesOf,
  rejects,
  settle,
  show,
  type Settled,
} from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';
import {
  accounts as seed,
  auditChanges,
  lockWaiters as waiters,
  openTransactions as openTx,
  oppositeTransfers,
  released,
  rollbackThatFails,
  snapshot as snap,
  unchangedAfter as unchanged,
} from './03-transactions.helpers.ts';

type Module = typeof import('../solutions/03-transactions/ledger.ts');

const course = useCourse('03');
const { transfer, InsufficientFundsError } = await course.load<Module>();

const accounts = (list: [id: number, balance: number][]) => seed(course, list);
const snapshot = () => snap(course);
const openTransactions = () => openTx(course);
const lockWaiters = () => waiters(course);
const unchangedAfter = (label: string, why: string, run: () => Promise<unknown>) => unchanged(course, label, why, run);

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
    const changes = await auditChanges(course);
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
    // From the lower id and from the higher one: the balance checked is the sender's, wherever its row sorts.
    for (const [from, to, balance, amount] of [
      [1, 2, 100, 500],
      [2, 1, 500, 600],
    ] as const) {
      const label = `transfer(db, { from: ${from}, to: ${to}, amountCents: ${amount} })`;
      const before = await snapshot();
      const error = await rejects(label, `account ${from} holds only ${balance} cents`, () =>
        transfer(db, { from, to, amountCents: amount }),
      );
      demand(
        error instanceof InsufficientFundsError,
        'an InsufficientFundsError (the class exported by ledger.ts)',
        errorText(error),
      );
      const said = { accountId: error.accountId, balanceCents: error.balanceCents, amountCents: error.amountCents };
      demand(
        isDeepStrictEqual(said, { accountId: from, balanceCents: balance, amountCents: amount }) &&
          errorText(error) === `InsufficientFundsError: account ${from} holds ${balance} cents, cannot send ${amount}`,
        `new InsufficientFundsError(${from}, ${balance}, ${amount}): the sender, the balance its locked row holds, the amount`,
        `${show(said)}, "${errorText(error)}"`,
      );
      const after = await snapshot();
      demand(
        isDeepStrictEqual(before, after),
        'balances and ledger unchanged',
        `${show(before)} became ${show(after)}`,
      );
      const open = await openTransactions();
      demand(!open, 'the transaction ended with ROLLBACK before the error travelled up', open ?? '');
    }
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
    for (const [why, t] of cases) {
      const error = await unchangedAfter(`transfer(db, ${show(t)})`, why, () => transfer(db, t));
      const text = messagesOf(error).trim();
      const unknown = t.from === 99 || t.to === 99;
      demand(
        unknown ? /\b99\b/.test(text) : text.length > 0,
        unknown
          ? `an error that names the unknown account, 99 (${why}): not whatever a later statement happens to throw`
          : `an error whose message says what is wrong (${why})`,
        errorText(error),
      );
    }
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

  it('lets two transfers in opposite directions both go through: locks in a fixed order', async () => {
    const { db } = await course.stores({ pool: { max: 4 } });
    await oppositeTransfers(course, transfer, db);
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
    await rollbackThatFails(course, transfer);
  });
});
