// right: transaction-scoped advisory locks on both account ids in id order, plain reads, query config objects, release(err) when ROLLBACK fails
import type pg from 'pg';

export interface Transfer {
  from: number;
  to: number;
  amountCents: number;
}

export class InsufficientFundsError extends Error {
  override name = 'InsufficientFundsError';
  constructor(
    readonly accountId: number,
    readonly balanceCents: number,
    readonly amountCents: number,
  ) {
    super(
      `account ${accountId} holds ${balanceCents} cents, cannot send ${amountCents}`,
    );
  }
}

export async function transfer(
  db: pg.Pool,
  { from, to, amountCents }: Transfer,
): Promise<void> {
  if (!(Number.isInteger(amountCents) && amountCents > 0)) {
    throw new RangeError(`cannot transfer ${amountCents} cents`);
  }
  if (from === to) {
    throw new RangeError(`account ${from} cannot pay itself`);
  }

  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // Every transfer takes the locks of both its accounts, lowest id first, and keeps them
    // until COMMIT or ROLLBACK: two transfers touching one account run one after the other.
    for (const id of [Math.min(from, to), Math.max(from, to)]) {
      await client.query({
        text: 'SELECT pg_advisory_xact_lock($1)',
        values: [id],
      });
    }
    // Read after the locks: every earlier transfer of these accounts has committed.
    const balances = await client.query<{
      id: number;
      balance_cents: number;
    }>({
      text: 'SELECT id, balance_cents FROM accounts WHERE id = ANY($1::int[])',
      values: [[from, to]],
    });
    const byId = new Map(
      balances.rows.map((row) => [row.id, row.balance_cents]),
    );
    const available = byId.get(from);
    if (available === undefined || !byId.has(to)) {
      throw new Error(
        `no such account: ${byId.has(to) ? from : to}`,
      );
    }
    if (available < amountCents) {
      throw new InsufficientFundsError(
        from,
        available,
        amountCents,
      );
    }
    await client.query({
      text: 'UPDATE accounts SET balance_cents = balance_cents - $1 WHERE id = $2',
      values: [amountCents, from],
    });
    await client.query({
      text: 'UPDATE accounts SET balance_cents = balance_cents + $1 WHERE id = $2',
      values: [amountCents, to],
    });
    await client.query({
      text: 'INSERT INTO ledger (from_account, to_account, amount_cents) VALUES ($1, $2, $3)',
      values: [from, to, amountCents],
    });
    await client.query('COMMIT');
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
