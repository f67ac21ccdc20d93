// Lesson 08 · Read Committed takes a new snapshot for every
// statement; Repeatable Read keeps the transaction's first one. A
// Repeatable Read transaction that tries to change a row another
// transaction changed and committed since is stopped with 40001:
// the lost update becomes an error, and a retry from BEGIN sees the
// new count.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(
    `CREATE TABLE loaves (kind text PRIMARY KEY,
      on_shelf integer NOT NULL)`,
  );
  await db.query("INSERT INTO loaves VALUES ('rye', 5)");
  const [one, two] = [await db.connect(), await db.connect()];
  const read = "SELECT on_shelf FROM loaves WHERE kind = 'rye'";
  const write =
    "UPDATE loaves SET on_shelf = $1 WHERE kind = 'rye'";
  const sellOne = async () => {
    await two.query(
      "UPDATE loaves SET on_shelf = on_shelf - 1 WHERE kind = 'rye'",
    );
  };
  try {
    // #region snapshots
    for (const level of ['READ COMMITTED', 'REPEATABLE READ']) {
      await one.query(`BEGIN ISOLATION LEVEL ${level}`);
      const before = (await one.query(read)).rows[0].on_shelf;
      await sellOne(); // another till sells one and commits
      const again = (await one.query(read)).rows[0].on_shelf;
      console.log(`${level}: reads ${before}, then ${again}`);
      await one.query('COMMIT');
    }
    // #endregion snapshots

    // #region lost-update
    await one.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const saw = (await one.query(read)).rows[0].on_shelf;
    await sellOne(); // meanwhile: one more sold, committed
    try {
      await one.query(write, [saw - 1]);
      await one.query('COMMIT');
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) throw error;
      console.log(`write after reading ${saw}: ${error.code}`);
      console.log(`  ${error.message}`);
      await one.query('ROLLBACK');
    }
    // The whole transaction again, from BEGIN: a new snapshot.
    await one.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const now = (await one.query(read)).rows[0].on_shelf;
    await one.query(write, [now - 1]);
    await one.query('COMMIT');
    console.log(`retried: read ${now}, wrote ${now - 1}`);
    // #endregion lost-update
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE loaves');
  }
}) satisfies Example;

// Output:
// READ COMMITTED: reads 5, then 4
// REPEATABLE READ: reads 4, then 4
// write after reading 3: 40001
//   could not serialize access due to concurrent update
// retried: read 2, wrote 1
