// Lesson 08 · Timeouts turn a wait into an error. lock_timeout ends a
// statement that waited too long for a lock (55P03);
// statement_timeout ends one that ran too long, waiting or not
// (57014). SET LOCAL lasts until the transaction ends; a plain SET
// stays on the connection, and the pool lends it to the next user.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db, env }) => {
  await db.query(
    `CREATE TABLE loaves (kind text PRIMARY KEY,
      on_shelf integer NOT NULL)`,
  );
  await db.query("INSERT INTO loaves VALUES ('rye', 5)");
  const holder = await db.connect();
  const till = await db.connect();
  // One connection: every borrower of this pool gets the same one.
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: 1,
  });
  const failure = (error: unknown) => {
    if (!(error instanceof pg.DatabaseError)) throw error;
    return `${error.code} ${error.message}`;
  };
  try {
    // #region lock-timeout
    // A baker recounts the rye, and holds its row meanwhile:
    await holder.query('BEGIN');
    await holder.query(
      "SELECT on_shelf FROM loaves WHERE kind = 'rye' FOR UPDATE",
    );

    await till.query('BEGIN');
    await till.query("SET LOCAL lock_timeout = '300ms'");
    const started = performance.now();
    await till
      .query(
        "UPDATE loaves SET on_shelf = on_shelf - 1 WHERE kind = 'rye'",
      )
      .catch((error) => console.log(failure(error)));
    const waited = performance.now() - started;
    await till.query('ROLLBACK');
    console.log(
      `the till had its answer within 1 s: ${waited < 1000}`,
    );
    await holder.query('COMMIT');
    // #endregion lock-timeout

    // #region statement-timeout
    await till.query('BEGIN');
    await till.query("SET LOCAL statement_timeout = '300ms'");
    await till
      .query('SELECT pg_sleep(5)') // a report that runs too long
      .catch((error) => console.log(failure(error)));
    await till.query('ROLLBACK');
    // #endregion statement-timeout

    // #region set-local
    const show = async () =>
      (await pool.query('SHOW lock_timeout')).rows[0].lock_timeout;
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '300ms'");
    await client.query('COMMIT');
    client.release();
    console.log(
      `after SET LOCAL, the next borrower: ${await show()}`,
    );

    await pool.query("SET lock_timeout = '300ms'");
    console.log(
      `after SET, the next borrower:       ${await show()}`,
    );
    // #endregion set-local
  } finally {
    holder.release();
    till.release();
    await pool.end();
    await db.query('DROP TABLE loaves');
  }
}) satisfies Example;

// Output:
// 55P03 canceling statement due to lock timeout
// the till had its answer within 1 s: true
// 57014 canceling statement due to statement timeout
// after SET LOCAL, the next borrower: 0
// after SET, the next borrower:       300ms
