// wrong: "one row (request_id, sku, quantity) is added to reservations" → must fail: reserves: takes the units, records the reservation, reports what remains
// Splices the request id and sku into the SQL text instead of passing
// them as parameters: an id with a quote (o'brien-7) breaks the statement.
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

const RETRYABLE = new Set(['40001', '40P01']);

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

export async function reserveStock(
  db: pg.Pool,
  request: StockRequest,
): Promise<Reservation> {
  const { quantity } = request;
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new RangeError(
      `quantity must be a positive integer, got ${quantity}`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(db, request);
    } catch (error) {
      if (attempt >= 5 || !RETRYABLE.has(codeOf(error) ?? ''))
        throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, 10 * attempt),
      );
    }
  }
}

async function attemptOnce(
  db: pg.Pool,
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '1500ms'");
    const claim = await client.query(
      `INSERT INTO reservations (request_id, sku, quantity)
       VALUES ('${requestId}', '${sku}', ${quantity})
       ON CONFLICT (request_id) DO NOTHING`,
    );
    if (claim.rowCount === 0) {
      const { rows } = await client.query<{ available: number }>(
        `SELECT s.available FROM reservations r
           JOIN stock s ON s.sku = r.sku
          WHERE r.request_id = '${requestId}'`,
      );
      await client.query('COMMIT');
      return { reserved: true, remaining: rows[0]?.available ?? 0 };
    }
    const taken = await client.query<{ available: number }>(
      `UPDATE stock SET available = available - $2
        WHERE sku = $1 AND available >= $2 RETURNING available`,
      [sku, quantity],
    );
    if (taken.rows[0]) {
      await client.query('COMMIT');
      return { reserved: true, remaining: taken.rows[0].available };
    }
    const found = await client.query<{ available: number }>(
      'SELECT available FROM stock WHERE sku = $1',
      [sku],
    );
    await client.query('ROLLBACK');
    if (!found.rows[0]) throw new UnknownSkuError(sku);
    return { reserved: false, remaining: found.rows[0].available };
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
