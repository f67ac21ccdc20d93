// Lesson 03 · What a client carries back to the pool. A transaction
// left open stays open on its connection, locks and all; after a
// failed statement it is aborted, and every statement fails until
// ROLLBACK. Released without ROLLBACK, the next user of that
// connection inherits it. release(err) closes the connection
// instead, and Postgres rolls back what the closed session left
// open.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db, env }) => {
  // One connection at most: the next user gets the same one.
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: 1,
  });
  await pool.query(`CREATE TABLE shelves (id text PRIMARY KEY,
    boxes integer NOT NULL CONSTRAINT stocked CHECK (boxes >= 0))`);
  await pool.query("INSERT INTO shelves VALUES ('A-1', 40)");
  const lines = (text: string) => text.replace(', ', ',\n   ');
  try {
    // #region left-open
    const holder = await pool.connect();
    await holder.query('BEGIN');
    const { rows } = await holder.query(
      `SELECT pg_backend_pid() AS pid FROM shelves
        WHERE id = 'A-1' FOR UPDATE`,
    );
    // Our own code throws here ("not enough boxes"): no ROLLBACK.
    holder.release();
    // Seen from another connection, outside this pool:
    const seen = await db.query(
      'SELECT state FROM pg_stat_activity WHERE pid = $1',
      [rows[0].pid],
    );
    console.log(`a. back in the pool: ${seen.rows[0].state}`);
    await db
      .query(
        "SELECT 1 FROM shelves WHERE id = 'A-1' FOR UPDATE NOWAIT",
      )
      .catch((error) =>
        console.log(`b. A-1 still locked: ${error.code}`),
      );
    await pool.query('ROLLBACK'); // the next user ends it (max: 1)
    // #endregion left-open

    // #region aborted
    const client = await pool.connect();
    await client.query('BEGIN');
    await client
      .query(
        "UPDATE shelves SET boxes = boxes - 99 WHERE id = 'A-1'",
      )
      .catch((error) =>
        console.log(
          `1. ${error.code}, constraint ${error.constraint}`,
        ),
      );
    await client
      .query("SELECT boxes FROM shelves WHERE id = 'A-1'")
      .catch((error) =>
        console.log(`2. ${error.code} ${lines(error.message)}`),
      );
    client.release(); // no ROLLBACK: back to the pool as it is
    await pool
      .query("SELECT boxes FROM shelves WHERE id = 'A-1'")
      .catch((error) =>
        console.log(`3. the next user: ${error.code}`),
      );
    // #endregion aborted

    // #region rolled-back
    const tidy = await pool.connect();
    await tidy.query('BEGIN');
    await tidy
      .query(
        "UPDATE shelves SET boxes = boxes - 99 WHERE id = 'A-1'",
      )
      .catch(() => tidy.query('ROLLBACK'));
    tidy.release(); // rolled back: a clean connection to lend again
    const next = await pool.query(
      "SELECT boxes FROM shelves WHERE id = 'A-1'",
    );
    console.log(`4. the next user reads ${next.rows[0].boxes}`);
    console.log(`   connections in the pool: ${pool.totalCount}`);
    // #endregion rolled-back

    // #region destroyed
    const doubtful = await pool.connect();
    await doubtful.query('BEGIN');
    await doubtful.query(
      "UPDATE shelves SET boxes = boxes - 10 WHERE id = 'A-1'",
    ); // row locked, change not committed…
    doubtful.release(new Error('state unknown')); // …close it
    console.log(`5. connections in the pool: ${pool.totalCount}`);
    // This UPDATE needs the row lock: it waits for the closed
    // session to end, then finds its change rolled back.
    const after = await pool.query(
      `UPDATE shelves SET boxes = boxes + 0 WHERE id = 'A-1'
        RETURNING boxes`,
    );
    console.log(`6. a new connection reads ${after.rows[0].boxes}`);
    // #endregion destroyed
  } finally {
    await pool.query('DROP TABLE shelves');
    await pool.end();
  }
}) satisfies Example;

// Output:
// a. back in the pool: idle in transaction
// b. A-1 still locked: 55P03
// 1. 23514, constraint stocked
// 2. 25P02 current transaction is aborted,
//    commands ignored until end of transaction block
// 3. the next user: 25P02
// 4. the next user reads 40
//    connections in the pool: 1
// 5. connections in the pool: 0
// 6. a new connection reads 40
