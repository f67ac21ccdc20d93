// right: SERIALIZABLE without row locks, retried on serialization failure
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

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error)) return false;
  return (
    error.code === SERIALIZATION_FAILURE || error.code === DEADLOCK
  );
}

async function attempt(
  client: pg.PoolClient,
  from: number,
  to: number,
  amountCents: number,
): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  const { rows } = await client.query<{
    id: number;
    balance_cents: number;
  }>(
    'SELECT id, balance_cents FROM accounts WHERE id IN ($1, $2)',
    [from, to],
  );
  const source = rows.find((r) => r.id === from);
  if (!source || !rows.some((r) => r.id === to)) {
    throw new Error(`unknown account: ${source ? to : from}`);
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
}

export async function transfer(
  db: pg.Pool,
  { from, to, amountCents }: Transfer,
): Promise<void> {
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    throw new RangeError(`bad amount ${amountCents}`);
  }
  if (from === to) throw new Error('cannot send money to yourself');

  const client = await db.connect();
  let broken: Error | undefined;
  try {
    for (let tries = 1; ; tries++) {
      try {
        await attempt(client, from, to, amountCents);
        return;
      } catch (error) {
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: Error) => rollbackError,
        );
        if (broken || !isRetryable(error) || tries >= 50)
          throw error;
        await new Promise((r) =>
          setTimeout(r, Math.random() * 5 * tries),
        );
      }
    }
  } finally {
    client.release(broken);
  }
}
