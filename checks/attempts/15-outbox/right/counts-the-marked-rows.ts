// right: CASE on flags for the fields given, the payload built in SQL with to_jsonb, payload parsed and stringified again, the count taken from the marking UPDATE's rowCount
import type pg from 'pg';
import type { Stores, User } from '../../../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export interface RelayOptions {
  batchSize: number;
}

export async function updateUser(
  db: pg.Pool,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  const client = await db.connect();
  let dead = false;
  try {
    await client.query('BEGIN');
    const res = await client.query<User>(
      `UPDATE users AS u
          SET name  = CASE WHEN $2 THEN $3 ELSE u.name END,
              email = CASE WHEN $4 THEN $5 ELSE u.email END
        WHERE u.id = $1
        RETURNING u.id, u.name, u.email`,
      [
        id,
        changes.name !== undefined,
        changes.name ?? '',
        changes.email !== undefined,
        changes.email ?? '',
      ],
    );
    if (res.rowCount !== 1) {
      await client.query('COMMIT');
      return null;
    }
    await client.query(
      `INSERT INTO outbox (aggregate_id, type, payload)
       SELECT id, 'user.updated', to_jsonb(r)
         FROM (SELECT id, name, email FROM users WHERE id = $1) AS r`,
      [id],
    );
    await client.query('COMMIT');
    return res.rows[0]!;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      dead = true;
    });
    throw error;
  } finally {
    client.release(dead);
  }
}

export async function relayOnce(
  stores: Stores,
  options: RelayOptions,
): Promise<number> {
  const client = await stores.db.connect();
  let dead = false;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      id: string;
      aggregate_id: number;
      type: string;
      payload: unknown;
    }>(
      `SELECT id, aggregate_id, type, payload FROM outbox
        WHERE sent_at IS NULL ORDER BY id ASC
        LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [options.batchSize],
    );
    let count = 0;
    if (rows.length > 0) {
      for (const row of rows) {
        await stores.cache.xAdd('user-events', '*', {
          event_id: String(row.id),
          type: row.type,
          user_id: String(row.aggregate_id),
          payload: JSON.stringify(row.payload),
        });
      }
      const users = [
        ...new Set(rows.map((row) => row.aggregate_id)),
      ];
      await stores.cache.unlink(users.map((u) => `user:${u}`));
      const marked = await client.query(
        'UPDATE outbox SET sent_at = now() WHERE id = ANY($1)',
        [rows.map((row) => row.id)],
      );
      count = marked.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return count;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      dead = true;
    });
    throw error;
  } finally {
    client.release(dead);
  }
}
