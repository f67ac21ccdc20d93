// right: one CTE statement for the change and its event; the relay claims its batch with UPDATE … RETURNING inside its transaction, then publishes before COMMIT
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
  // One statement is one transaction: both rows, or neither.
  const { rows } = await db.query<User>(
    `WITH changed AS (
       UPDATE users
          SET name = COALESCE($2, name), email = COALESCE($3, email)
        WHERE id = $1
        RETURNING id, name, email)
     INSERT INTO outbox (aggregate_id, type, payload)
     SELECT id, 'user.updated', to_jsonb(changed) FROM changed
     RETURNING payload`,
    [id, changes.name ?? null, changes.email ?? null],
  );
  return (
    (rows[0] as { payload: User } | undefined)?.payload ?? null
  );
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
    }>(
      `UPDATE outbox SET sent_at = now()
        WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, aggregate_id, type, payload`,
      [options.batchSize],
    );
    // RETURNING promises no order.
    rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    for (const row of rows) {
      await stores.cache.xAdd('user-events', '*', {
        event_id: row.id,
        type: row.type,
        user_id: `${row.aggregate_id}`,
        payload: JSON.stringify(row.payload),
      });
    }
    for (const row of rows) {
      await stores.cache.del(`user:${row.aggregate_id}`);
    }
    // Only now do the marks become true for anyone else.
    await client.query('COMMIT');
    client.release();
    return rows.length;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      client.release(rollbackError as Error);
    }
    throw error;
  }
}
