// wrong: "While another session holds the stock row locked, the call must reject within 3 seconds with Postgres's 55P03 (lock_not_available) error" → must fail: fails within its lock timeout while another session holds the row, and works once it is free
// No lock_timeout: a call waits for a held row as long as it is held.
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
    const taken = await client.query(
      `UPDATE stock SET available = available - $2
        WHERE sku = $1 AND available >= $2 RETURNING available`,
      [sku, quantity],
    );
    if (taken.rows[0]) {
      await client.query('COMMIT');
      return { reserved: true, remaining: taken.rows[0].available };
    }
    const { rows } = await client.query(
      'SELECT available FROM stock WHERE sku = $1',
      [sku],
    );
    if (!rows[0]) throw new UnknownSkuError(sku);
    await client.query('ROLLBACK');
    return { reserved: false, remaining: rows[0].available };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
