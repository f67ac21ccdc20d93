// Lesson 08 · Read Committed, Postgres's default, lets two tills
// read the same count and each write back its own answer: two
// loaves sold, one counted. Nothing waits and nothing fails.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(
    `CREATE TABLE loaves (kind text PRIMARY KEY,
      on_shelf integer NOT NULL)`,
  );
  await db.query("INSERT INTO loaves VALUES ('rye', 5)");
  const [one, two] = [await db.connect(), await db.connect()];
  try {
    // #region race
    const level = await one.query('SHOW transaction_isolation');
    console.log(
      `isolation: ${level.rows[0].transaction_isolation}`,
    );
    const read = "SELECT on_shelf FROM loaves WHERE kind = 'rye'";
    const write =
      "UPDATE loaves SET on_shelf = $1 WHERE kind = 'rye'";

    await one.query('BEGIN'); // till one sells a rye…
    await two.query('BEGIN'); // …and so does till two
    const sawOne = (await one.query(read)).rows[0].on_shelf;
    const sawTwo = (await two.query(read)).rows[0].on_shelf;
    console.log(
      `till one reads ${sawOne}, till two reads ${sawTwo}`,
    );
    await one.query(write, [sawOne - 1]);
    await one.query('COMMIT');
    await two.query(write, [sawTwo - 1]); // one's 4, overwritten
    await two.query('COMMIT');
    const after = (await db.query(read)).rows[0].on_shelf;
    console.log(`two loaves sold, the shelf says ${after}`);
    // #endregion race
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE loaves');
  }
}) satisfies Example;

// Output:
// isolation: read committed
// till one reads 5, till two reads 5
// two loaves sold, the shelf says 4
