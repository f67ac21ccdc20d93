// right: a conditional UPDATE … RETURNING as the guard, after locking both rows in id order
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
  if (!Number.isSafeInteger(amountCents) || amountCents < 1) {
    throw new RangeError(`invalid amount: ${amountCents}`);
  }
  if (from === to) {
    throw new Error('from and to must be different accounts');
  }
  const client = await db.connect();
  let rollbackFailed: Error | undefined;
  try {
    await client.query('BEGIN');
    const locked = await client.query(
      'SELECT id FROM accounts WHERE id = $1 OR id = $2 ORDER BY id FOR UPDATE',
      [from, to],
    );
    if (locked.rowCount !== 2) {
      throw new Error(`unknown account in ${from} → ${to}`);
    }
    const debit = await client.query<{ balance_cents: number }>(
      `UPDATE accounts SET balance_cents = balance_cents - $2
        WHERE id = $1 AND balance_cents >= $2
        RETURNING balance_cents`,
      [from, amountCents],
    );
    if (debit.rowCount === 0) {
      const { rows } = await client.query<{
        balance_cents: number;
      }>('SELECT balance_cents FROM accounts WHERE id = $1', [
        from,
      ]);
      throw new InsufficientFundsError(
        from,
        rows[0]?.balance_cents ?? 0,
        amountCents,
      );
    }
    await client.query(
      'UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1',
      [to, amountCents],
    );
    await client.query(
      `INSERT INTO ledger (from_account, to_account, amount_cents)
        VALUES ($1, $2, $3)`,
      [from, to, amountCents],
    );
    await client.query('COMMIT');
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // still inside the transaction, or gone: either way the pool must not lend it out again
      rollbackFailed = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(rollbackFailed);
  }
}
