// right: one CTE claims the request id and takes the units in a single statement, query({ text, values })
import type pg from 'pg';

export interface StockRequest {
  requestId: string;
  sku: string;
  quantity: number;
}

export type Reservation =
  | { reserved: true; remaining: number }
  | { reserved: false; remaining: number };

export class UnknownSkuError extends Error {
  override name = 'UnknownSkuError';
  constructor(readonly sku: string) {
    super(`no stock row for sku ${sku}`);
  }
}

const CLAIM_AND_TAKE = `
  WITH claim AS (
    INSERT INTO reservations (request_id, sku, quantity)
    VALUES ($1, $2, $3)
    ON CONFLICT (request_id) DO NOTHING
    RETURNING sku
  ), take AS (
    UPDATE stock SET available = available - $3
     WHERE sku = (SELECT sku FROM claim) AND available >= $3
    RETURNING available
  )
  SELECT (SELECT count(*) FROM claim)::int AS claimed,
         (SELECT available FROM take) AS left_after`;

type Row = { claimed: number; left_after: number | null };

function isTransient(error: unknown): boolean {
  const code =
    error instanceof Error ? Reflect.get(error, 'code') : null;
  return code === '40001' || code === '40P01';
}

export async function reserveStock(
  db: pg.Pool,
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  if (
    typeof quantity !== 'number' ||
    quantity % 1 !== 0 ||
    quantity <= 0
  ) {
    throw new RangeError(
      'quantity must be a whole number above zero',
    );
  }
  let attempts = 0;
  while (true) {
    attempts += 1;
    const client = await db.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query({
        text: "SELECT set_config('lock_timeout', '1s', true)",
      });
      const { rows } = await client.query<Row>({
        text: CLAIM_AND_TAKE,
        values: [requestId, sku, quantity],
      });
      const { claimed, left_after } = rows[0]!;
      if (claimed === 1 && left_after !== null) {
        await client.query('COMMIT');
        return { reserved: true, remaining: left_after };
      }
      // Either a repeat, or a claim the stock could not cover.
      const now = await client.query<{ available: number }>({
        text: `SELECT available FROM stock WHERE sku = coalesce(
                 (SELECT sku FROM reservations WHERE request_id = $1 AND $3), $2)`,
        values: [requestId, sku, claimed === 0],
      });
      await client.query('ROLLBACK');
      if (claimed === 0) {
        return {
          reserved: true,
          remaining: now.rows[0]?.available ?? 0,
        };
      }
      if (!now.rows[0]) throw new UnknownSkuError(sku);
      return { reserved: false, remaining: now.rows[0].available };
    } catch (error) {
      await client
        .query('ROLLBACK')
        .catch((e: Error) => (failure = e));
      if (attempts < 5 && isTransient(error)) continue;
      throw error;
    } finally {
      client.release(failure);
    }
  }
}
