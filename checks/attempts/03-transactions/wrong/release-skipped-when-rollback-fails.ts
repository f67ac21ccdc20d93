// wrong: "If the ROLLBACK itself fails, pass that error to release(err): the pool then closes the connection instead of lending it out again." → must fail: releases every pooled client, after success and after every failure
// release() sits at the end of the try and at the end of the catch, not in a finally: when
// the ROLLBACK itself throws (the connection broke mid-transfer), the catch is left before
// its release(), so the client is never given back and the ROLLBACK's error hides the first.
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
    client.release();
  } catch (error) {
    await client.query('ROLLBACK');
    client.release();
    throw error;
  }
}
