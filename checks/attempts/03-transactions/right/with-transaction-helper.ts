// right: a reusable withTransaction helper, two FOR UPDATE reads in id order
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

async function withTransaction<T>(
  db: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  // A ROLLBACK that failed leaves the connection in doubt: release(err) closes it.
  let doubtful: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      doubtful = rollbackError;
    });
    throw error;
  } finally {
    client.release(doubtful);
  }
}

async function lockBalance(
  client: pg.PoolClient,
  id: number,
): Promise<number> {
  const result = await client.query<{ balance_cents: number }>(
    'SELECT balance_cents FROM accounts WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = result.rows[0];
  if (row === undefined)
    throw new Error(`account ${id} does not exist`);
  return row.balance_cents;
}

export async function transfer(
  db: pg.Pool,
  { from, to, amountCents }: Transfer,
): Promise<void> {
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    throw new RangeError('the amount must be at least one cent');
  }
  if (from === to) throw new Error('pick two different accounts');

  await withTransaction(db, async (client) => {
    const [low, high] = from < to ? [from, to] : [to, from];
    const balances = new Map<number, number>();
    balances.set(low, await lockBalance(client, low));
    balances.set(high, await lockBalance(client, high));
    const available = balances.get(from)!;
    if (available < amountCents) {
      throw new InsufficientFundsError(
        from,
        available,
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
  });
}
