// right: a SET clause built from the fields given, XADDs pipelined with sendCommand, UNLINK, FOR NO KEY UPDATE SKIP LOCKED
import type pg from 'pg';
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export interface RelayOptions {
  batchSize: number;
}

async function transaction<T>(
  db: pg.Pool,
  body: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const value = await body(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => {
      failure = e;
    });
    throw error;
  } finally {
    client.release(failure);
  }
}

export async function updateUser(
  db: pg.Pool,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const column of ['name', 'email'] as const) {
    const value = changes[column];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  return transaction(db, async (client) => {
    const { rows } = await client.query<User>(
      `UPDATE users SET ${sets.join(', ')}
        WHERE id = $1 RETURNING id, name, email`,
      values,
    );
    const [user] = rows;
    if (!user) return null;
    await client.query(
      `INSERT INTO outbox (aggregate_id, type, payload)
       VALUES ($1, 'user.updated', json_build_object(
         'id', $1::int, 'name', $2::text, 'email', $3::text))`,
      [user.id, user.name, user.email],
    );
    return user;
  });
}

export async function relayOnce(
  stores: Stores,
  { batchSize }: RelayOptions,
): Promise<number> {
  return transaction(stores.db, async (client) => {
    const { rows } = await client.query<{
      id: string;
      aggregate_id: number;
      type: string;
      body: string;
    }>(
      `SELECT id, aggregate_id, type, payload::text AS body
         FROM outbox WHERE sent_at IS NULL
        ORDER BY id LIMIT $1
        FOR NO KEY UPDATE SKIP LOCKED`,
      [batchSize],
    );
    if (!rows.length) return 0;
    // One client pipelines these in order: Redis runs them in order.
    await Promise.all(
      rows.map((row) =>
        stores.cache.sendCommand([
          'XADD',
          'user-events',
          '*',
          'event_id',
          row.id,
          'type',
          row.type,
          'user_id',
          String(row.aggregate_id),
          'payload',
          row.body,
        ]),
      ),
    );
    await stores.cache.sendCommand([
      'UNLINK',
      ...new Set(rows.map((r) => `user:${r.aggregate_id}`)),
    ]);
    const ids = rows.map((r) => r.id);
    await client.query(
      'UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])',
      [ids],
    );
    return rows.length;
  });
}
