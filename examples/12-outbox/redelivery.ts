// Lesson 12 · At least once. A relay that dies after its XADD and
// before marking the row sends it again on the next pass; and two
// relays at once may add one order's events out of order. The
// consumer keeps, per order, the highest event id it applied, and
// skips anything at or below it.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

interface Row {
  id: string;
  order_id: number;
  status: string;
}

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE order_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL, status text NOT NULL,
    sent_at timestamptz)`);
  await db.query(`INSERT INTO order_outbox (order_id, status)
    VALUES (7, 'paid')`);
  // A relay's three steps, so the passes can be interleaved by hand.
  // #region steps
  const take = async (client: pg.PoolClient, n: number) => {
    await client.query('BEGIN');
    const { rows } = await client.query<Row>(
      `SELECT id, order_id, status FROM order_outbox
        WHERE sent_at IS NULL ORDER BY id LIMIT $1
          FOR UPDATE SKIP LOCKED`,
      [n],
    );
    return rows;
  };
  const publish = async (rows: Row[]) => {
    for (const r of rows)
      await cache.xAdd('order-events', '*', {
        event_id: r.id,
        order: String(r.order_id),
        status: r.status,
      });
  };
  const mark = async (client: pg.PoolClient, rows: Row[]) => {
    await client.query(
      'UPDATE order_outbox SET sent_at = now() WHERE id = ANY($1)',
      [rows.map((r) => r.id)],
    );
    await client.query('COMMIT');
  };
  // #endregion steps
  const [one, two] = [await db.connect(), await db.connect()];
  try {
    // #region dies
    const batch = await take(one, 10);
    await publish(batch);
    await one.query('ROLLBACK'); // killed before marking: no marks
    const again = await take(one, 10);
    await publish(again);
    await mark(one, again);
    console.log(
      `sent twice: event ${batch[0]!.id}, then ${again[0]!.id}`,
    );
    // #endregion dies
    // #region two-relays
    await db.query(`INSERT INTO order_outbox (order_id, status)
      VALUES (7, 'packed'), (7, 'shipped')`);
    const a = await take(one, 1); // relay A holds event 2…
    const b = await take(two, 1); // …so relay B takes event 3
    await publish(b);
    await mark(two, b); // B is faster
    await publish(a);
    await mark(one, a);
    // #endregion two-relays
    // #region consumer
    // The warehouse's side: in production it keeps `applied` in its
    // own database, updated in the transaction that applies it.
    const applied = new Map<string, number>();
    const entries = await cache.xRange('order-events', '-', '+');
    for (const { message: m } of entries) {
      const id = Number(m.event_id);
      const order = m.order!;
      if (id <= (applied.get(order) ?? 0)) {
        console.log(
          `event ${id}: skipped, order ${order} is past it`,
        );
        continue;
      }
      applied.set(order, id);
      console.log(`event ${id}: order ${order} is now ${m.status}`);
    }
    // #endregion consumer
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE order_outbox');
    await cache.del('order-events');
  }
}) satisfies Example;

// Output:
// sent twice: event 1, then 1
// event 1: order 7 is now paid
// event 1: skipped, order 7 is past it
// event 3: order 7 is now shipped
// event 2: skipped, order 7 is past it
