// Lesson 12 · The relay: in one transaction, take a batch of
// pending outbox rows (oldest first, locked, skipping rows another
// relay holds), append each to a Redis stream, delete the cached
// order, mark the rows sent, commit. Only committed rows are ever
// visible to it, so its DEL always comes after the change's COMMIT.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE order_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL, status text NOT NULL,
    sent_at timestamptz)`);
  await db.query(`INSERT INTO order_outbox (order_id, status)
    VALUES (7, 'paid'), (8, 'paid'), (7, 'packed')`);
  await cache.set('order:7', '{"status":"new"}', {
    expiration: { type: 'EX', value: 600 },
  });
  try {
    // #region relay
    const relayPass = async (batchSize: number) => {
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query(
          `SELECT id, order_id, status FROM order_outbox
            WHERE sent_at IS NULL ORDER BY id LIMIT $1
              FOR UPDATE SKIP LOCKED`,
          [batchSize],
        );
        for (const row of rows) {
          await cache.xAdd('order-events', '*', {
            event_id: String(row.id),
            order: String(row.order_id),
            status: row.status,
          });
          await cache.del(`order:${row.order_id}`);
        }
        // Last, and only the ids taken: a crash before this line
        // rolls the marks back, and the next pass sends them again.
        await client.query(
          `UPDATE order_outbox SET sent_at = now()
            WHERE id = ANY($1)`,
          [rows.map((r) => r.id)],
        );
        await client.query('COMMIT');
        return rows.length;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    // #endregion relay
    // #region passes
    for (let pass = 1; pass <= 3; pass++) {
      console.log(`pass ${pass}: ${await relayPass(2)} event(s)`);
    }
    for (const { message: m } of await cache.xRange(
      'order-events',
      '-',
      '+',
    )) {
      console.log(
        `  event ${m.event_id}: order ${m.order} ${m.status}`,
      );
    }
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM order_outbox WHERE sent_at IS NULL',
    );
    console.log(`pending rows: ${rows[0].n}`);
    console.log(`order:7 cached: ${await cache.exists('order:7')}`);
    // #endregion passes
  } finally {
    await db.query('DROP TABLE order_outbox');
    await cache.del(['order-events', 'order:7']);
  }
}) satisfies Example;

// Output:
// pass 1: 2 event(s)
// pass 2: 1 event(s)
// pass 3: 0 event(s)
//   event 1: order 7 paid
//   event 2: order 8 paid
//   event 3: order 7 packed
// pending rows: 0
// order:7 cached: 0
