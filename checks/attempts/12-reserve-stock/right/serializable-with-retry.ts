// right: SERIALIZABLE without row locks or a guarded UPDATE, every attempt retried on 40001/40P01
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

class Refused {
  constructor(readonly answer: Reservation) {}
}

async function once(
  client: pg.PoolClient,
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await client.query("SET LOCAL lock_timeout = '2s'");
  const earlier = await client.query<{ available: number }>(
    `SELECT s.available FROM reservations r JOIN stock s USING (sku)
      WHERE r.request_id = $1`,
    [requestId],
  );
  if (earlier.rows[0]) {
    await client.query('COMMIT');
    return { reserved: true, remaining: earlier.rows[0].available };
  }
  const { rows } = await client.query<{ available: number }>(
    'SELECT available FROM stock WHERE sku = $1',
    [sku],
  );
  if (!rows[0]) throw new UnknownSkuError(sku);
  if (rows[0].available < quantity) {
    throw new Refused({
      reserved: false,
      remaining: rows[0].available,
    });
  }
  await client.query(
    'UPDATE stock SET available = $2 WHERE sku = $1',
    [sku, rows[0].available - quantity],
  );
  await client.query(
    'INSERT INTO reservations (request_id, sku, quantity) VALUES ($1, $2, $3)',
    [requestId, sku, quantity],
  );
  await client.query('COMMIT');
  return {
    reserved: true,
    remaining: rows[0].available - quantity,
  };
}

export async function reserveStock(
  db: pg.Pool,
  request: StockRequest,
): Promise<Reservation> {
  if (!Number.isInteger(request.quantity) || request.quantity < 1) {
    throw new RangeError('quantity must be a positive integer');
  }
  for (let attempt = 1; ; attempt++) {
    const client = await db.connect();
    let broken: Error | undefined;
    try {
      return await once(client, request);
    } catch (error) {
      await client
        .query('ROLLBACK')
        .catch((e: Error) => (broken = e));
      if (error instanceof Refused) return error.answer;
      const code = (error as { code?: string }).code;
      if ((code !== '40001' && code !== '40P01') || attempt === 5) {
        throw error;
      }
    } finally {
      client.release(broken);
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
}
