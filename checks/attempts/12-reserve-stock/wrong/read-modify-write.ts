// wrong: "50 calls at once for the last 4 units … exactly 4 resolve reserved: true, available ends at 0 (never below)" → must fail: never oversells under 50 concurrent callers: as many reservations as units
// Reads the count, computes the new one in TypeScript and writes it
// back: concurrent callers all read 4 and each writes 3.
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

function retryable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '40001' || code === '40P01';
}

export async function reserveStock(
  db: pg.Pool,
  request: StockRequest,
): Promise<Reservation> {
  if (
    !Number.isInteger(request.quantity) ||
    request.quantity <= 0
  ) {
    throw new RangeError('quantity must be a positive integer');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(db, request);
    } catch (error) {
      if (attempt >= 5 || !retryable(error)) throw error;
    }
  }
}

async function attemptOnce(
  db: pg.Pool,
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '1s'");
    const claimed = await client.query(
      `INSERT INTO reservations (request_id, sku, quantity)
        VALUES ($1, $2, $3)
        ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      [requestId, sku, quantity],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await client.query(
        `SELECT s.available FROM reservations r
          JOIN stock s ON s.sku = r.sku WHERE r.request_id = $1`,
        [requestId],
      );
      await client.query('COMMIT');
      return { reserved: true, remaining: rows[0]?.available ?? 0 };
    }
    const { rows } = await client.query(
      'SELECT available FROM stock WHERE sku = $1',
      [sku],
    );
    if (!rows[0]) throw new UnknownSkuError(sku);
    const available: number = rows[0].available;
    if (available < quantity) {
      await client.query('ROLLBACK');
      return { reserved: false, remaining: available };
    }
    await client.query(
      'UPDATE stock SET available = $2 WHERE sku = $1',
      [sku, available - quantity],
    );
    await client.query('COMMIT');
    return { reserved: true, remaining: available - quantity };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
