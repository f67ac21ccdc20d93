// Exercise 03 — Move money with a transaction. Reference solution.
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
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    throw new RangeError(
      `amountCents must be a positive integer, got ${amountCents}`,
    );
  }
  if (from === to)
    throw new Error(
      `cannot transfer from account ${from} to itself`,
    );

  // A transaction belongs to one connection: BEGIN, every statement
  // and COMMIT go through this client.
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // FOR UPDATE locks both rows until COMMIT, so a concurrent
    // transfer waits instead of reading the old balance. Locking in
    // id order means two opposite transfers cannot deadlock.
    const { rows } = await client.query<{
      id: number;
      balance_cents: number;
    }>(
      `SELECT id, balance_cents FROM accounts
        WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
      [[from, to]],
    );
    const source = rows.find((r) => r.id === from);
    if (!source || !rows.some((r) => r.id === to)) {
      throw new Error(`unknown account: ${!source ? from : to}`);
    }
    if (source.balance_cents < amountCents) {
      throw new InsufficientFundsError(
        from,
        source.balance_cents,
        amountCents,
      );
    }
    await client.query(
      `UPDATE accounts SET balance_cents = balance_cents - $2
        WHERE id = $1`,
      [from, amountCents],
    );
    await client.query(
      `UPDATE accounts SET balance_cents = balance_cents + $2
        WHERE id = $1`,
      [to, amountCents],
    );
    await client.query(
      `INSERT INTO ledger (from_account, to_account, amount_cents)
        VALUES ($1, $2, $3)`,
      [from, to, amountCents],
    );
    await client.query('COMMIT');
  } catch (error) {
    // A ROLLBACK that fails too leaves the connection in doubt:
    // release(err) makes the pool close it, not lend it out.
    broken = await client.query('ROLLBACK').then(
      () => undefined,
      (rollbackError: Error) => rollbackError,
    );
    throw error;
  } finally {
    // always: a client never released is a pool slot lost for good
    client.release(broken);
  }
}
