// right: decrement unguarded, then look at RETURNING and ROLLBACK if it went below zero; recursion for retries
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

export async function reserveStock(
  db: pg.Pool,
  request: StockRequest,
  attempt = 1,
): Promise<Reservation> {
  const { requestId, sku, quantity } = request;
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new TypeError('quantity: positive integer expected');
  }
  const client = await db.connect();
  let outcome: Reservation;
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL lock_timeout = 2000');
    const inserted = await client.query(
      `INSERT INTO reservations (request_id, sku, quantity)
        VALUES ($1, $2, $3) ON CONFLICT (request_id) DO NOTHING
        RETURNING 1`,
      [requestId, sku, quantity],
    );
    if (inserted.rows.length === 0) {
      const first = await client.query(
        `SELECT stock.available FROM stock, reservations
          WHERE reservations.request_id = $1
            AND stock.sku = reservations.sku`,
        [requestId],
      );
      await client.query('ROLLBACK');
      outcome = {
        reserved: true,
        remaining: first.rows[0]?.available ?? 0,
      };
    } else {
      const updated = await client.query(
        `UPDATE stock SET available = available - $2 WHERE sku = $1
          RETURNING available`,
        [sku, quantity],
      );
      if (updated.rowCount === 0) throw new UnknownSkuError(sku);
      const after: number = updated.rows[0].available;
      if (after < 0) {
        await client.query('ROLLBACK');
        outcome = { reserved: false, remaining: after + quantity };
      } else {
        await client.query('COMMIT');
        outcome = { reserved: true, remaining: after };
      }
    }
  } catch (error) {
    let rollbackError: Error | undefined;
    await client.query('ROLLBACK').catch((e) => {
      rollbackError = e;
    });
    client.release(rollbackError);
    const code = (error as { code?: unknown }).code;
    if ((code === '40001' || code === '40P01') && attempt < 5) {
      return reserveStock(db, request, attempt + 1);
    }
    throw error;
  }
  client.release();
  return outcome;
}
