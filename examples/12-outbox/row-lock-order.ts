// Lesson 12 · One order's events in commit order. Written after the
// UPDATE, the outbox row is drawn while the order's row is locked:
// a second writer of that order waits for the COMMIT, and its event
// gets the higher id. Written before the UPDATE, the ids follow who
// started first, and the last event can disagree with Postgres.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE orders (id integer PRIMARY KEY,
    status text NOT NULL)`);
  await db.query(`CREATE TABLE order_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL, status text NOT NULL)`);
  await db.query("INSERT INTO orders VALUES (7, 'paid')");
  const [one, two] = [await db.connect(), await db.connect()];
  const setStatus = (c: pg.PoolClient, status: string) =>
    c.query('UPDATE orders SET status = $1 WHERE id = 7', [status]);
  const addEvent = async (c: pg.PoolClient, status: string) =>
    (
      await c.query(
        `INSERT INTO order_outbox (order_id, status)
         VALUES (7, $1) RETURNING id`,
        [status],
      )
    ).rows[0].id;
  const waitsForLock = async () => {
    for (let tries = 0; tries < 500; tries++) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database()
            AND wait_event_type = 'Lock'`,
      );
      if (rows[0].n > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  };
  const verdict = async () => {
    const order = await db.query('SELECT status FROM orders');
    const last = await db.query(
      'SELECT status FROM order_outbox ORDER BY id DESC LIMIT 1',
    );
    return `Postgres: ${order.rows[0].status}, last event: ${last.rows[0].status}`;
  };
  try {
    // #region after-update
    await one.query('BEGIN');
    await two.query('BEGIN');
    await setStatus(one, 'packed'); // locks order 7
    const blocked = setStatus(two, 'shipped');
    console.log(
      `writer two waits for the lock: ${await waitsForLock()}`,
    );
    console.log(`packed is event ${await addEvent(one, 'packed')}`);
    await one.query('COMMIT'); // two's UPDATE goes through now
    await blocked;
    console.log(
      `shipped is event ${await addEvent(two, 'shipped')}`,
    );
    await two.query('COMMIT');
    console.log(await verdict());
    // #endregion after-update
    // #region before-update
    await one.query('BEGIN');
    await two.query('BEGIN');
    console.log(
      `returned is event ${await addEvent(one, 'returned')}`,
    );
    console.log(
      `delivered is event ${await addEvent(two, 'delivered')}`,
    );
    await setStatus(two, 'delivered');
    await two.query('COMMIT');
    await setStatus(one, 'returned');
    await one.query('COMMIT');
    console.log(await verdict());
    // #endregion before-update
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE orders, order_outbox');
  }
}) satisfies Example;

// Output:
// writer two waits for the lock: true
// packed is event 1
// shipped is event 2
// Postgres: shipped, last event: shipped
// returned is event 3
// delivered is event 4
// Postgres: returned, last event: delivered
