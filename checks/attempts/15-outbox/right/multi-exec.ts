// right: query config objects, and the batch published in one MULTI … EXEC
import type pg from 'pg';
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export interface RelayOptions {
  batchSize: number;
}

async function rollBack(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (error) {
    client.release(error as Error);
  }
}

export async function updateUser(
  db: pg.Pool,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await client.query<User>({
      text: `UPDATE users
                SET name = COALESCE($2::text, name),
                    email = COALESCE($3::text, email)
              WHERE id = $1 RETURNING id, name, email`,
      values: [id, changes.name ?? null, changes.email ?? null],
    });
    const user = result.rows[0] ?? null;
    if (user !== null) {
      await client.query({
        text: `INSERT INTO outbox (aggregate_id, type, payload)
               VALUES ($1, $2, $3::jsonb)`,
        values: [user.id, 'user.updated', JSON.stringify(user)],
      });
    }
    await client.query('COMMIT');
    client.release();
    return user;
  } catch (error) {
    await rollBack(client);
    throw error;
  }
}

export async function relayOnce(
  stores: Stores,
  options: RelayOptions,
): Promise<number> {
  const client = await stores.db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      id: string;
      aggregate_id: number;
      type: string;
      payload: unknown;
    }>({
      text: `SELECT id, aggregate_id, type, payload FROM outbox
              WHERE sent_at IS NULL
              ORDER BY id
              FOR UPDATE SKIP LOCKED
              LIMIT $1`,
      values: [options.batchSize],
    });
    if (rows.length > 0) {
      const multi = stores.cache.multi();
      for (const row of rows) {
        multi.xAdd('user-events', '*', {
          event_id: row.id,
          type: row.type,
          user_id: String(row.aggregate_id),
          payload: JSON.stringify(row.payload),
        });
      }
      for (const row of rows) multi.del(`user:${row.aggregate_id}`);
      await multi.exec();
      await client.query({
        text: 'UPDATE outbox SET sent_at = now() WHERE id = ANY($1)',
        values: [rows.map((r) => r.id)],
      });
    }
    await client.query('COMMIT');
    client.release();
    return rows.length;
  } catch (error) {
    await rollBack(client);
    throw error;
  }
}
