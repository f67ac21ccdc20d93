// Lesson 03 · Why `pool.query('BEGIN')` is wrong: each pool.query
// borrows whichever connection is free. One after another they
// happen to share one; at once, they use several, and a transaction
// started on one connection does not cover a statement sent on
// another.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ env }) => {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
  await pool.query(
    `CREATE TABLE shelves (id text PRIMARY KEY,
      boxes integer NOT NULL)`,
  );
  await pool.query("INSERT INTO shelves VALUES ('A-1', 40)");
  const pidOf = async () =>
    (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0]
      .pid;
  try {
    // #region which-connection
    const inTurn = [];
    for (let i = 0; i < 5; i++) inTurn.push(await pidOf());
    const atOnce = await Promise.all([1, 2, 3, 4, 5].map(pidOf));
    console.log(
      `5 in turn used ${new Set(inTurn).size} connection(s)`,
    );
    console.log(
      `5 at once used ${new Set(atOnce).size} connection(s)`,
    );
    // #endregion which-connection

    // #region begin-on-pool
    await pool.query('BEGIN'); // meant to start a transaction
    // Meanwhile another request borrows a connection: the one that
    // BEGIN ran on, now idle in the pool.
    const other = await pool.connect();
    const { rows } = await other.query(
      'SELECT pg_backend_pid() AS pid',
    );
    await pool.query(
      "UPDATE shelves SET boxes = boxes - 5 WHERE id = 'A-1'",
    ); // runs on another connection, and commits on its own
    await pool.query('ROLLBACK'); // no transaction there to undo

    const a1 = await pool.query(
      "SELECT boxes FROM shelves WHERE id = 'A-1'",
    );
    console.log(
      `A-1 after the ROLLBACK: ${a1.rows[0].boxes} boxes`,
    );
    const seen = await pool.query(
      'SELECT state FROM pg_stat_activity WHERE pid = $1',
      [rows[0].pid],
    );
    console.log(
      `the other request's connection: ${seen.rows[0].state}`,
    );
    await other.query('ROLLBACK');
    other.release();
    // #endregion begin-on-pool
  } finally {
    await pool.query('DROP TABLE shelves');
    await pool.end();
  }
}) satisfies Example;

// Output:
// 5 in turn used 1 connection(s)
// 5 at once used 5 connection(s)
// A-1 after the ROLLBACK: 35 boxes
// the other request's connection: idle in transaction
