// Lesson 08 · One guarded UPDATE: the check and the subtraction are
// one statement, so no decision is made on an old number. A second
// buyer of the last loaf waits for the first one's row lock, then
// finds the row no longer matches its WHERE: no row comes back.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(
    `CREATE TABLE loaves (kind text PRIMARY KEY,
      on_shelf integer NOT NULL)`,
  );
  await db.query(
    "INSERT INTO loaves VALUES ('rye', 1), ('sourdough', 5)",
  );
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
    // #region last-loaf
    const sell = `UPDATE loaves SET on_shelf = on_shelf - $2
      WHERE kind = $1 AND on_shelf >= $2
      RETURNING on_shelf`;

    await one.query('BEGIN');
    const first = await one.query(sell, ['rye', 1]);
    console.log(
      `one sells the last rye: ${first.rows[0].on_shelf} left`,
    );
    const second = two.query(sell, ['rye', 1]); // the row is locked
    console.log(`two waits for one's lock: ${await twoWaits()}`);
    await one.query('COMMIT');
    const { rowCount } = await second; // WHERE checked again: 0 >= 1?
    console.log(`two gets ${rowCount} rows back: sold out`);
    // #endregion last-loaf

    // #region crowd
    // Twelve buyers at once through the pool, five loaves:
    const buyers = Array.from({ length: 12 }, () =>
      db.query(sell, ['sourdough', 1]),
    );
    const sold = (await Promise.all(buyers)).filter(
      (r) => r.rowCount === 1,
    ).length;
    const { rows } = await db.query(
      "SELECT on_shelf FROM loaves WHERE kind = 'sourdough'",
    );
    console.log(
      `12 buyers, ${sold} sold, ${rows[0].on_shelf} left`,
    );
    // #endregion crowd
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE loaves');
  }
}) satisfies Example;

// Output:
// one sells the last rye: 0 left
// two waits for one's lock: true
// two gets 0 rows back: sold out
// 12 buyers, 5 sold, 0 left
