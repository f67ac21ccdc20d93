// Lesson 08 · A deadlock: two moves of flour between two stores,
// each locking its source first. Each waits for the row the other
// holds; after deadlock_timeout (1 s by default) Postgres ends one of
// them with 40P01 and the other goes through. Locking the rows in
// one fixed order makes the cycle impossible.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE flour (store text PRIMARY KEY,
    sacks integer NOT NULL)`);
  await db.query(
    "INSERT INTO flour VALUES ('north', 10), ('south', 10)",
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
  const [oneWaits, twoWaits] = [
    await waiting(one),
    await waiting(two),
  ];
  const take =
    'UPDATE flour SET sacks = sacks - 1 WHERE store = $1';
  const give =
    'UPDATE flour SET sacks = sacks + 1 WHERE store = $1';
  // Ends each move: COMMIT what went through, ROLLBACK the victim.
  const finish = async (moves: Promise<unknown>[]) => {
    const settled = await Promise.allSettled(moves);
    const said = [];
    for (const [i, client] of [one, two].entries()) {
      const outcome = settled[i]!;
      if (outcome.status === 'fulfilled') {
        await client.query('COMMIT');
        said.push('went through');
      } else {
        await client.query('ROLLBACK');
        said.push((outcome.reason as pg.DatabaseError).code);
      }
    }
    return said.sort().join(', ');
  };
  try {
    // #region deadlock
    await one.query('BEGIN');
    await two.query('BEGIN');
    await one.query(take, ['north']); // one holds north…
    await two.query(take, ['south']); // …two holds south
    const oneGives = one.query(give, ['south']); // waits for two
    await oneWaits();
    const twoGives = two.query(give, ['north']); // waits for one
    console.log(
      `opposite order: ${await finish([oneGives, twoGives])}`,
    );
    // #endregion deadlock

    // #region fixed-order
    const lockBoth = `SELECT store FROM flour
      WHERE store IN ('north', 'south') ORDER BY store FOR UPDATE`;
    await one.query('BEGIN');
    await two.query('BEGIN');
    await one.query(lockBoth); // north, then south
    const twoLocks = two.query(lockBoth); // waits at north
    console.log(
      `same order: two waits for one: ${await twoWaits()}`,
    );
    await one.query(take, ['north']);
    await one.query(give, ['south']);
    await one.query('COMMIT');
    await twoLocks; // one is done: two takes both locks
    await two.query(take, ['south']);
    await two.query(give, ['north']);
    await two.query('COMMIT');
    console.log('same order: both went through');
    // #endregion fixed-order
  } finally {
    one.release();
    two.release();
    await db.query('DROP TABLE flour');
  }
}) satisfies Example;

// Output:
// opposite order: 40P01, went through
// same order: two waits for one: true
// same order: both went through
