// wrong: "ROLLBACK and run the whole transaction again from BEGIN, as a new transaction (not back to a savepoint)" → must fail: retries a serialization failure or deadlock in a fresh transaction
// Retries inside the transaction, back to a savepoint: Postgres asked
// for the whole transaction again, and under Repeatable Read or
// Serializable the savepoint keeps the snapshot that failed.
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
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new RangeError('quantity must be a positive integer');
  }
  const client = await db.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query('BEGIN');
        await client.query("SET LOCAL lock_timeout = '1s'");
        let answer: Reservation;
        for (let step = 1; ; step++) {
          await client.query('SAVEPOINT attempt');
          try {
            answer = await work(client, requestId, sku, quantity);
            break;
          } catch (error) {
            if (step >= 5 || !retryable(error)) throw error;
            await client.query('ROLLBACK TO SAVEPOINT attempt');
          }
        }
        if (answer.reserved) await client.query('COMMIT');
        else await client.query('ROLLBACK');
        return answer;
      } catch (error) {
        await client.query('ROLLBACK');
        if (attempt >= 5 || !retryable(error)) throw error;
      }
    }
  } finally {
    client.release();
  }
}

async function work(
  client: pg.PoolClient,
  requestId: string,
  sku: string,
  quantity: number,
): Promise<Reservation> {
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
    return { reserved: true, remaining: rows[0]?.available ?? 0 };
  }
  const taken = await client.query(
    `UPDATE stock SET available = available - $2
      WHERE sku = $1 AND available >= $2 RETURNING available`,
    [sku, quantity],
  );
  if (taken.rows[0]) {
    return { reserved: true, remaining: taken.rows[0].available };
  }
  const { rows } = await client.query(
    'SELECT available FROM stock WHERE sku = $1',
    [sku],
  );
  if (!rows[0]) throw new UnknownSkuError(sku);
  return { reserved: false, remaining: rows[0].available };
}
