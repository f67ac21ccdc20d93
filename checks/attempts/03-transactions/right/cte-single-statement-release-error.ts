// right: one CTE moves both balances and writes the ledger row, after a FOR NO KEY UPDATE read
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
    throw new RangeError('amountCents must be a positive integer');
  }
  if (from === to) throw new Error('same account on both sides');

  const client = await db.connect();
  let failed: unknown;
  try {
    await client.query({ text: 'BEGIN' });
    const { rows } = await client.query<{
      id: number;
      balance_cents: number;
    }>({
      text: `SELECT id, balance_cents FROM accounts
              WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`,
      values: [[from, to]],
    });
    const balances = new Map(
      rows.map((r) => [r.id, r.balance_cents]),
    );
    const balance = balances.get(from);
    if (balance === undefined || !balances.has(to)) {
      throw new Error(
        `no such account: ${balance === undefined ? from : to}`,
      );
    }
    if (balance < amountCents) {
      throw new InsufficientFundsError(from, balance, amountCents);
    }
    await client.query({
      text: `WITH moved AS (
               UPDATE accounts
                  SET balance_cents = balance_cents
                    + CASE WHEN id = $1 THEN -$3::int ELSE $3::int END
                WHERE id IN ($1, $2)
             )
             INSERT INTO ledger (from_account, to_account, amount_cents)
             VALUES ($1, $2, $3)`,
      values: [from, to, amountCents],
    });
    await client.query({ text: 'COMMIT' });
  } catch (error) {
    failed = error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    // a client whose rollback may have failed is destroyed, not reused
    client.release(failed instanceof Error ? failed : undefined);
  }
}
