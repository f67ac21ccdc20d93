// Lesson 12 · Two writes to two stores with nothing tying them
// together. A crash between the UPDATE and the XADD loses the
// event; an XADD inside a transaction that then rolls back
// announces a change that never happened.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE orders (id integer PRIMARY KEY,
    status text NOT NULL,
    paid_cents integer NOT NULL DEFAULT 0
      CHECK (paid_cents <= 5000))`);
  await db.query(
    "INSERT INTO orders VALUES (7, 'new'), (8, 'new')",
  );
  const crash = () => {
    throw new Error('the process is killed');
  };
  const state = async (id: number) => {
    const { rows } = await db.query(
      'SELECT status FROM orders WHERE id = $1',
      [id],
    );
    const events = await cache.xRange('order-events', '-', '+');
    const heard = events
      .filter((e) => e.message.order === String(id))
      .map((e) => e.message.status);
    return `Postgres says ${rows[0].status}, the warehouse heard ${
      heard.join(', ') || 'nothing'
    }`;
  };
  try {
    // #region lost
    try {
      await db.query(
        "UPDATE orders SET status = 'paid' WHERE id = 7",
      ); // committed: no BEGIN, so the statement is its own
      crash(); // a deploy, a lost container, a power cut
      await cache.xAdd('order-events', '*', {
        order: '7',
        status: 'paid',
      });
    } catch (error) {
      console.log(
        `between the writes: ${(error as Error).message}`,
      );
    }
    console.log(`order 7: ${await state(7)}`);
    // #endregion lost
    // #region phantom
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "UPDATE orders SET status = 'paid' WHERE id = 8",
      );
      await cache.xAdd('order-events', '*', {
        order: '8',
        status: 'paid',
      }); // Redis keeps it at once: it knows nothing of BEGIN
      await client.query(
        'UPDATE orders SET paid_cents = 9000 WHERE id = 8',
      ); // refused by the CHECK: the transaction fails
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      console.log(`rolled back: ${(error as Error).message}`);
    } finally {
      client.release();
    }
    console.log(`order 8: ${await state(8)}`);
    // #endregion phantom
  } finally {
    await db.query('DROP TABLE orders');
    await cache.del('order-events');
  }
}) satisfies Example;

// Output:
// between the writes: the process is killed
// order 7: Postgres says paid, the warehouse heard nothing
// rolled back: new row for relation "orders" violates check constraint "orders_paid_cents_check"
// order 8: Postgres says new, the warehouse heard paid
