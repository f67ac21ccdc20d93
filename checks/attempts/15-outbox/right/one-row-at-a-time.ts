// right: a relay that locks, publishes and marks one row at a time, inside one transaction, with a per-row UPDATE
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
  let broken = false;
  try {
    await client.query('BEGIN');
    const res = await client.query(
      `UPDATE users SET
         name = CASE WHEN $2::text IS NULL THEN name ELSE $2 END,
         email = CASE WHEN $3::text IS NULL THEN email ELSE $3 END
       WHERE id = $1
       RETURNING id, name, email`,
      [id, changes.name, changes.email],
    );
    if (res.rowCount === 0) {
      await client.query('ROLLBACK');
      return null;
    }
    const user: User = res.rows[0];
    await client.query(
      'INSERT INTO outbox (aggregate_id, type, payload) VALUES ($1, $2, $3)',
      [id, 'user.updated', user],
    );
    await client.query('COMMIT');
    return user;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

export async function relayOnce(
  stores: Stores,
  options: RelayOptions,
): Promise<number> {
  const client = await stores.db.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    let relayed = 0;
    while (relayed < options.batchSize) {
      const { rows } = await client.query(
        `SELECT id, aggregate_id, type, payload FROM outbox
          WHERE sent_at IS NULL ORDER BY id LIMIT 1
          FOR UPDATE SKIP LOCKED`,
      );
      const row = rows[0];
      if (!row) break;
      await stores.cache.xAdd('user-events', '*', {
        event_id: String(row.id),
        type: row.type,
        user_id: String(row.aggregate_id),
        payload: JSON.stringify(row.payload),
      });
      await stores.cache.del(`user:${row.aggregate_id}`);
      // Marked in this transaction: it stays locked, and taken, till
      // COMMIT, so the next SELECT moves on to the following row.
      await client.query(
        'UPDATE outbox SET sent_at = now() WHERE id = $1',
        [row.id],
      );
      relayed += 1;
    }
    await client.query('COMMIT');
    return relayed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}
