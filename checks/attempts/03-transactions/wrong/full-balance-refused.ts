// wrong: "exactly as many succeed as the balance allows." → must fail: never overdraws under 20 concurrent transfers
// Off by one: sending the whole balance is refused, so the last
// transfer the money allows never happens.
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
  if (amountCents <= 0) throw new Error('amount must be positive');
  if (from === to) throw new Error('cannot transfer to itself');

  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      id: number;
      balance_cents: number;
    }>(
      `SELECT id, balance_cents FROM accounts
        WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`,
      [from, to],
    );
    const source = rows.find((row) => row.id === from);
    const target = rows.find((row) => row.id === to);
    if (!source || !target) throw new Error('unknown account');
    if (source.balance_cents <= amountCents) {
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
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
