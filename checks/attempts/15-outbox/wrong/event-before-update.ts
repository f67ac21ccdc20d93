// wrong: "Insert the outbox row **after** the `UPDATE`, never before it" → must fail: gives one user's events ids in the order the changes committed
// Writes the event first "so it is never forgotten", computing the
// new row from the old one: its id is drawn before the user's row is
// locked, so a change that commits later can hold a lower id.
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
    const before = await client.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1',
      [id],
    );
    const old = before.rows[0];
    if (old === undefined) return null;
    const user: User = {
      id: old.id,
      name: changes.name ?? old.name,
      email: changes.email ?? old.email,
    };
    await client.query(
      `INSERT INTO outbox (aggregate_id, type, payload)
       VALUES ($1, 'user.updated', $2)`,
      [user.id, JSON.stringify(user)],
    );
    await client.query(
      'UPDATE users SET name = $2, email = $3 WHERE id = $1',
      [id, user.name, user.email],
    );
    return user;
  });
}

export async function relayOnce(
  stores: Stores,
  { batchSize }: RelayOptions,
): Promise<number> {
  return inTransaction(stores.db, async (client) => {
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
    await client.query(
      'UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])',
      [rows.map((r) => r.id)],
    );
    return rows.length;
  });
}
