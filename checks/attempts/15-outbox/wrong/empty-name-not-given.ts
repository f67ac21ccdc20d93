// wrong: "update only the fields given" → must fail: updates only the fields given, an empty string included
// Tests each field with ||: an empty name is given, yet taken for "not
// given", so the user keeps the old name and the event says so.
import type pg from 'pg';
import type { Stores, User } from '../../../../lib/stores.ts';

/** At least one of the two. */
export interface UserChanges {
  name?: string;
  email?: string;
}

export interface RelayOptions {
  /** The most outbox rows one pass takes. */
  batchSize: number;
}

interface Pending {
  id: string;
  aggregate_id: number;
  type: string;
  payload: string;
}

const STREAM = 'user-events';

/** BEGIN … COMMIT on one pooled client; ROLLBACK on any error. */
async function inTransaction<T>(
  db: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is closed by the pool
    // instead of being lent out again mid-transaction.
    await client
      .query('ROLLBACK')
      .catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

export async function updateUser(
  db: pg.Pool,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  return inTransaction(db, async (client) => {
    const { rows } = await client.query<User>(
      `UPDATE users
          SET name = COALESCE($2, name), email = COALESCE($3, email)
        WHERE id = $1 RETURNING id, name, email`,
      [id, changes.name || null, changes.email || null],
    );
    const user = rows[0];
    if (user === undefined) return null;
    // After the UPDATE: its row lock makes the next change of this
    // user wait for our COMMIT before drawing an outbox id, so one
    // user's event ids follow the order the changes committed.
    await client.query(
      `INSERT INTO outbox (aggregate_id, type, payload)
       VALUES ($1, 'user.updated', $2)`,
      [user.id, JSON.stringify(user)],
    );
    return user;
  });
}

export async function relayOnce(
  stores: Stores,
  { batchSize }: RelayOptions,
): Promise<number> {
  return inTransaction(stores.db, async (client) => {
    // The locks last until COMMIT: a relay running meanwhile skips
    // these rows rather than sending them too, or waiting for them.
    const { rows } = await client.query<Pending>(
      `SELECT id, aggregate_id, type, payload::text AS payload
         FROM outbox WHERE sent_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    if (rows.length === 0) return 0;
    for (const row of rows) {
      await stores.cache.xAdd(STREAM, '*', {
        event_id: row.id,
        type: row.type,
        user_id: String(row.aggregate_id),
        payload: row.payload,
      });
    }
    const keys = new Set(rows.map((r) => `user:${r.aggregate_id}`));
    await stores.cache.del([...keys]);
    // Marked last, and only these ids: a crash before this line
    // sends the batch again (at least once), never loses it.
    await client.query(
      'UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])',
      [rows.map((r) => r.id)],
    );
    return rows.length;
  });
}
