// wrong: "20 transfers at once from the same account never overdraw it: exactly as many succeed as the balance allows." → must fail: never overdraws under 20 concurrent transfers
// SERIALIZABLE "instead of locks", with no retry: transfers that overlap fail with a
// serialization error (40001) although the money was there, so fewer succeed than the
// balance allows.
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

function refuse({ from, to, amountCents }: Transfer): void {
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    throw new RangeError(
      'the amount must be a positive number of cents',
    );
  }
  if (from === to)
    throw new Error('cannot transfer to the same account');
}

export async function transfer(
  db: pg.Pool,
  request: Transfer,
): Promise<void> {
  refuse(request);
  const { from, to, amountCents } = request;
  const client = await db.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    const { rows } = await client.query<{
      id: number;
      balance_cents: number;
    }>(
      'SELECT id, balance_cents FROM accounts WHERE id IN ($1, $2)',
      [from, to],
    );
    const source = rows.find((row) => row.id === from);
    if (!source || !rows.some((row) => row.id === to)) {
      throw new Error(`unknown account in ${from} → ${to}`);
    }
    if (source.balance_cents < amountCents) {
      throw new InsufficientFundsError(
        from,
        source.balance_cents,
        amountCents,
      );
    }
    await client.query(
      'UPDATE accounts SET balance_cents = balance_cents - $1 WHERE id = $2',
      [amountCents, from],
    );
    await client.query(
      'UPDATE accounts SET balance_cents = balance_cents + $1 WHERE id = $2',
      [amountCents, to],
    );
    await client.query(
      'INSERT INTO ledger (from_account, to_account, amount_cents) VALUES ($1, $2, $3)',
      [from, to, amountCents],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
