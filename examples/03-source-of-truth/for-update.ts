// Lesson 03 · Lock what you read: SELECT … FOR UPDATE holds the row
// until the transaction ends. A second FOR UPDATE waits, then reads
// the committed value; a plain SELECT is not held up at all.
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
    // #region locked
    const lock =
      "SELECT boxes FROM shelves WHERE id = 'A-1' FOR UPDATE";
    const take =
      "UPDATE shelves SET boxes = boxes - 30 WHERE id = 'A-1'";

    await one.query('BEGIN');
    await two.query('BEGIN');
    const sawOne = (await one.query(lock)).rows[0].boxes;
    console.log(`one locks A-1 and sees ${sawOne}: 30 fits`);
    const twoReads = two.query(lock); // blocked behind one's lock
    console.log(`two waits for the lock: ${await twoWaits()}`);
    const plain = await db.query(
      "SELECT boxes FROM shelves WHERE id = 'A-1'",
    );
    console.log(
      `a plain SELECT meanwhile reads ${plain.rows[0].boxes}`,
    );
    await one.query(take);
    await one.query('COMMIT'); // releases the lock
    const sawTwo = (await twoReads).rows[0].boxes;
    console.log(
      `two gets the lock and sees ${sawTwo}: 30 won't fit`,
    );
    await two.query('ROLLBACK');
    const after = await db.query(
      "SELECT boxes FROM shelves WHERE id = 'A-1'",
    );
    console.log(`A-1 ends with ${after.rows[0].boxes} boxes`);
    // #endregion locked
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE shelves');
  }
}) satisfies Example;

// Output:
// one locks A-1 and sees 40: 30 fits
// two waits for the lock: true
// a plain SELECT meanwhile reads 40
// two gets the lock and sees 10: 30 won't fit
// A-1 ends with 10 boxes
