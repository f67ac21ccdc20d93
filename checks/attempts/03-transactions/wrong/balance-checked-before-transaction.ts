// wrong: "20 transfers at once from the same account never overdraw it: exactly as many succeed as the balance allows." → must fail: never overdraws under 20 concurrent transfers
// The balance is checked first with db.query, on whichever pooled connection is free and
// outside the transaction, and the transaction then moves the money without looking again:
// twenty transfers all read the same old balance before any of them has moved anything.
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
      'the amount must be a positive number of cents',
    );
  }
  if (from === to)
    throw new Error('cannot transfer to the same account');

  // Check first, so a refused transfer never takes a client.
  const { rows } = await db.query<{
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

  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'SELECT id FROM accounts WHERE id IN ($1, $2) ORDER BY id FOR UPDATE',
      [from, to],
    );
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
