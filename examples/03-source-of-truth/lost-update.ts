// Lesson 03 · Read, decide, write: two transactions that read
// without a lock both see enough boxes, both take them, and the
// shelf goes below zero. Postgres runs at Read Committed unless
// told otherwise.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(
    `CREATE TABLE shelves (id text PRIMARY KEY,
      boxes integer NOT NULL)`,
  );
  await db.query("INSERT INTO shelves VALUES ('A-1', 40)");
  const [one, two] = [await db.connect(), await db.connect()];
  // Resolves once `client` is blocked, waiting for a row lock.
  const waiting = async (client: pg.PoolClient) => {
    const pid = (
      await client.query('SELECT pg_backend_pid() AS pid')
    ).rows[0].pid;
    return async () => {
      for (let tries = 0; tries < 500; tries++) {
        const { rows } = await db.query(
          `SELECT wait_event_type FROM pg_stat_activity
            WHERE pid = $1`,
          [pid],
        );
        if (rows[0]?.wait_event_type === 'Lock') return true;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return false;
    };
  };
  const twoWaits = await waiting(two);
  try {
    // #region race
    const level = await one.query('SHOW transaction_isolation');
    console.log(
      `isolation: ${level.rows[0].transaction_isolation}`,
    );
    const read = "SELECT boxes FROM shelves WHERE id = 'A-1'";
    const take =
      "UPDATE shelves SET boxes = boxes - 30 WHERE id = 'A-1'";

    await one.query('BEGIN');
    await two.query('BEGIN');
    const sawOne = (await one.query(read)).rows[0].boxes; // 40
    const sawTwo = (await two.query(read)).rows[0].boxes; // 40 too
    console.log(`one sees ${sawOne}, two sees ${sawTwo}: 30 fits`);
    await one.query(take); // one locks the row as it updates it
    const twoTakes = two.query(take); // two must wait for that lock
    console.log(`two waits for one's lock: ${await twoWaits()}`);
    await one.query('COMMIT');
    await twoTakes; // now it subtracts from the committed 10
    await two.query('COMMIT');
    const after = await db.query(read);
    console.log(`A-1 ends with ${after.rows[0].boxes} boxes`);
    // #endregion race
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE shelves');
  }
}) satisfies Example;

// Output:
// isolation: read committed
// one sees 40, two sees 40: 30 fits
// two waits for one's lock: true
// A-1 ends with -20 boxes
