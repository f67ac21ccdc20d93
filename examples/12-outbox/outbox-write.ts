// Lesson 12 · The transactional outbox: the change and the event
// that announces it are two rows written by ONE transaction, so
// both commit or neither does. xmin names the transaction that
// wrote a row: the same for both.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE orders (id integer PRIMARY KEY,
    status text NOT NULL,
    paid_cents integer NOT NULL DEFAULT 0
      CHECK (paid_cents <= 5000))`);
  await db.query(`CREATE TABLE order_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL, status text NOT NULL,
    sent_at timestamptz)`);
  await db.query(
    "INSERT INTO orders VALUES (7, 'new'), (8, 'new')",
  );
  try {
    // #region pay
    const pay = async (id: number, cents: number) => {
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `UPDATE orders SET status = 'paid', paid_cents = $2
            WHERE id = $1`,
          [id, cents],
        );
        await client.query(
          `INSERT INTO order_outbox (order_id, status)
           VALUES ($1, 'paid')`,
          [id],
        );
        await client.query('COMMIT');
        return 'committed';
      } catch (error) {
        await client.query('ROLLBACK');
        return `rolled back (${(error as Error).message})`;
      } finally {
        client.release();
      }
    };
    console.log(`pay order 7: ${await pay(7, 4200)}`);
    console.log(`pay order 8: ${await pay(8, 9000)}`);
    // #endregion pay
    // #region same-transaction
    const { rows } = await db.query(
      `SELECT o.id, o.status, count(e.id)::int AS events,
              bool_and(e.xmin = o.xmin) AS same_tx
         FROM orders o LEFT JOIN order_outbox e ON e.order_id = o.id
        GROUP BY o.id, o.status ORDER BY o.id`,
    );
    for (const r of rows) {
      const same = r.events
        ? `, one transaction: ${r.same_tx}`
        : '';
      console.log(
        `order ${r.id}: ${r.status}, ${r.events} event(s)${same}`,
      );
    }
    // #endregion same-transaction
  } finally {
    await db.query('DROP TABLE orders, order_outbox');
  }
}) satisfies Example;

// Output:
// pay order 7: committed
// pay order 8: rolled back (new row for relation "orders" violates check constraint "orders_paid_cents_check")
// order 7: paid, 1 event(s), one transaction: true
// order 8: new, 0 event(s)
