// right: the user read FOR UPDATE and merged in JavaScript before the UPDATE; the batch taken through a CTE joined back to outbox, XADD through sendCommand, one DEL per row, START TRANSACTION
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
  let failed: Error | undefined;
  try {
    await client.query('START TRANSACTION');
    const value = await body(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      failed = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(failed);
  }
}

export function updateUser(
  db: pg.Pool,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  return transaction(db, async (client) => {
    // The lock taken here holds until COMMIT: no other change of this
    // user reads, or writes, the row before this one is done.
    const current = await client.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1 FOR UPDATE',
      [id],
    );
    const before = current.rows[0];
    if (!before) return null;
    const after: User = {
      id: before.id,
      name: changes.name ?? before.name,
      email: changes.email ?? before.email,
    };
    const updated = await client.query<User>(
      `UPDATE users SET name = $2, email = $3
        WHERE id = $1 RETURNING id, name, email`,
      [after.id, after.name, after.email],
    );
    const user = updated.rows[0]!;
    await client.query(
      `INSERT INTO outbox (aggregate_id, type, payload)
       VALUES ($1, 'user.updated', $2::jsonb)`,
      [user.id, JSON.stringify(user)],
    );
    return user;
  });
}

interface Taken {
  id: string;
  aggregate_id: number;
  type: string;
  payload: User;
}

export function relayOnce(
  stores: Stores,
  options: RelayOptions,
): Promise<number> {
  return transaction(stores.db, async (client) => {
    const taken = await client.query<Taken>(
      `WITH batch AS (
         SELECT id FROM outbox
          WHERE sent_at IS NULL
          ORDER BY id
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       SELECT o.id::text AS id, o.aggregate_id, o.type, o.payload
         FROM outbox o JOIN batch USING (id)
        ORDER BY o.id`,
      [options.batchSize],
    );
    for (const row of taken.rows) {
      await stores.cache.sendCommand([
        'XADD',
        'user-events',
        '*',
        'event_id',
        row.id,
        'type',
        row.type,
        'user_id',
        `${row.aggregate_id}`,
        'payload',
        JSON.stringify(row.payload),
      ]);
    }
    for (const row of taken.rows) {
      await stores.cache.sendCommand([
        'DEL',
        `user:${row.aggregate_id}`,
      ]);
    }
    if (taken.rows.length > 0) {
      const ids = taken.rows.map((row) => row.id);
      const marks = ids.map((_, i) => `$${i + 1}`).join(', ');
      await client.query(
        `UPDATE outbox SET sent_at = clock_timestamp() WHERE id IN (${marks})`,
        ids,
      );
    }
    return taken.rows.length;
  });
}
