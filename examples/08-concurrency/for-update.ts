// Lesson 08 · SELECT … FOR UPDATE: the first till locks the row it
// read; the second till's FOR UPDATE waits for that transaction to
// end, then reads the count as it is now. No sale is lost.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(
    `CREATE TABLE loaves (kind text PRIMARY KEY,
      on_shelf integer NOT NULL)`,
  );
  await db.query("INSERT INTO loaves VALUES ('rye', 5)");
  const [one, two] = [await db.connect(), await db.connect()];
  // Resolves true once `client` is blocked, waiting for a lock.
  const waiting = async (client: pg.PoolClient) => {
    const { rows } = await client.query(
      'SELECT pg_backend_pid() AS pid',
    );
    return async () => {
      for (let tries = 0; tries < 500; tries++) {
        const seen = await db.query(
          `SELECT wait_event_type FROM pg_stat_activity
            WHERE pid = $1`,
          [rows[0].pid],
        );
        if (seen.rows[0]?.wait_event_type === 'Lock') return true;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return false;
    };
  };
  const twoWaits = await waiting(two);
  try {
    // #region locked
    const lock =
      "SELECT on_shelf FROM loaves WHERE kind = 'rye' FOR UPDATE";
    const write =
      "UPDATE loaves SET on_shelf = $1 WHERE kind = 'rye'";

    await one.query('BEGIN');
    await two.query('BEGIN');
    const sawOne = (await one.query(lock)).rows[0].on_shelf;
    console.log(`till one locks rye and reads ${sawOne}`);
    const twoReads = two.query(lock); // blocked by one's lock
    console.log(`till two waits: ${await twoWaits()}`);
    await one.query(write, [sawOne - 1]);
    await one.query('COMMIT'); // the lock goes with the transaction
    const sawTwo = (await twoReads).rows[0].on_shelf;
    console.log(`till two gets the lock and reads ${sawTwo}`);
    await two.query(write, [sawTwo - 1]);
    await two.query('COMMIT');
    const { rows } = await db.query(
      "SELECT on_shelf FROM loaves WHERE kind = 'rye'",
    );
    console.log(
      `two loaves sold, the shelf says ${rows[0].on_shelf}`,
    );
    // #endregion locked
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE loaves');
  }
}) satisfies Example;

// Output:
// till one locks rye and reads 5
// till two waits: true
// till two gets the lock and reads 4
// two loaves sold, the shelf says 3
