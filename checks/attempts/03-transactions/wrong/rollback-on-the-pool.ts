// wrong: "a failed transfer ends its transaction with ROLLBACK first: no connection goes back to the pool still inside it, holding the row locks." → must fail: refuses an overdraft with InsufficientFundsError, changing nothing
// The ROLLBACK goes through db.query instead of client.query: it runs on some other pooled
// connection (Postgres only warns "no transaction in progress"), and the client that holds
// the open transaction and its row locks is released as it is.
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

type Row = { id: number; balance_cents: number };

async function moveMoney(
  client: pg.PoolClient,
  { from, to, amountCents }: Transfer,
): Promise<void> {
  const { rows } = await client.query<Row>(
    `SELECT id, balance_cents FROM accounts
      WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`,
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
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await moveMoney(client, request);
    await client.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
