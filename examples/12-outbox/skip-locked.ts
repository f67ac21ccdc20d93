// Lesson 12 · Two relays at once. FOR UPDATE SKIP LOCKED inside a
// transaction: the second relay takes the rows the first does not
// hold. FOR UPDATE alone: it waits for the first relay. No lock: it
// reads, and would send, the same rows. FOR UPDATE without a
// transaction: the lock ends with the statement.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE order_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL, status text NOT NULL,
    sent_at timestamptz)`);
  await db.query(`INSERT INTO order_outbox (order_id, status)
    SELECT n, 'paid' FROM generate_series(1, 4) AS n`);
  const [first, second] = [await db.connect(), await db.connect()];
  const pending = `SELECT id FROM order_outbox
    WHERE sent_at IS NULL ORDER BY id LIMIT 2`;
  const ids = async (on: pg.Pool | pg.PoolClient, sql: string) =>
    (await on.query(sql)).rows.map((r) => r.id).join(', ');
  try {
    // #region two-relays
    await first.query('BEGIN');
    const held = await ids(
      first,
      `${pending} FOR UPDATE SKIP LOCKED`,
    );
    console.log(`first relay holds    ${held}`);

    await second.query('BEGIN');
    const other = await ids(
      second,
      `${pending} FOR UPDATE SKIP LOCKED`,
    );
    console.log(`second, SKIP LOCKED  ${other}`);
    await second.query('ROLLBACK');

    await second.query('BEGIN');
    await second.query("SET LOCAL lock_timeout = '200ms'");
    const waited = await ids(second, `${pending} FOR UPDATE`).catch(
      (error: Error) => error.message,
    );
    console.log(`second, FOR UPDATE   ${waited}`);
    await second.query('ROLLBACK');

    console.log(
      `second, no lock      ${await ids(second, pending)}`,
    );
    // #endregion two-relays
    // #region no-transaction
    const once = await ids(db, `${pending} FOR UPDATE SKIP LOCKED`);
    const again = await ids(
      db,
      `${pending} FOR UPDATE SKIP LOCKED`,
    );
    console.log(
      `db.query, twice      ${once}, then ${again} again`,
    );
    // #endregion no-transaction
    await first.query('ROLLBACK');
  } finally {
    first.release();
    second.release();
    await db.query('DROP TABLE order_outbox');
  }
}) satisfies Example;

// Output:
// first relay holds    1, 2
// second, SKIP LOCKED  3, 4
// second, FOR UPDATE   canceling statement due to lock timeout
// second, no lock      1, 2
// db.query, twice      3, 4, then 3, 4 again
