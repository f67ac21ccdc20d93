// right: SELECT … FOR UPDATE on the stock row, decided in TypeScript, with a transaction helper
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

const RETRY_CODES = ['40001', '40P01'];

async function inTransaction<T>(
  db: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const client = await db.connect();
    let destroy: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL lock_timeout TO 1500');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackFailed) {
        destroy = rollbackFailed as Error;
      }
      if (
        !RETRY_CODES.includes(
          (error as { code?: string }).code ?? '',
        )
      ) {
        throw error;
      }
      lastError = error;
    } finally {
      client.release(destroy);
    }
  }
  throw lastError;
}

class NotEnough extends Error {
  constructor(readonly available: number) {
    super('not enough');
  }
}

export async function reserveStock(
  db: pg.Pool,
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  if (!(Number.isSafeInteger(quantity) && quantity > 0)) {
    throw new Error(`bad quantity: ${quantity}`);
  }
  try {
    return await inTransaction(db, async (client) => {
      const fresh = await client.query(
        `INSERT INTO reservations (request_id, sku, quantity)
          VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [requestId, sku, quantity],
      );
      if (fresh.rowCount === 0) {
        const { rows } = await client.query(
          `SELECT available FROM stock
            WHERE sku = (SELECT sku FROM reservations WHERE request_id = $1)`,
          [requestId],
        );
        return {
          reserved: true,
          remaining: rows[0]?.available ?? 0,
        };
      }
      const { rows } = await client.query<{ available: number }>(
        'SELECT available FROM stock WHERE sku = $1 FOR UPDATE',
        [sku],
      );
      const row = rows[0];
      if (!row) throw new UnknownSkuError(sku);
      if (row.available < quantity)
        throw new NotEnough(row.available);
      await client.query(
        'UPDATE stock SET available = $2 WHERE sku = $1',
        [sku, row.available - quantity],
      );
      return {
        reserved: true,
        remaining: row.available - quantity,
      };
    });
  } catch (error) {
    if (error instanceof NotEnough) {
      return { reserved: false, remaining: error.available };
    }
    throw error;
  }
}
