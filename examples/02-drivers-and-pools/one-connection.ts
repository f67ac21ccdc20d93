// Lesson 02 · A pg.Pool is a pool: twenty queries sent at once are
// spread over at most `max` connections (10 unless you say
// otherwise) and the rest wait their turn. A node-redis client is
// one connection: twenty commands sent at once all travel down it.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache, env }) => {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
  try {
    // #region at-once
    const twenty = Array.from({ length: 20 });
    const asked = twenty.map(() =>
      pool.query('SELECT pg_backend_pid() AS pid'),
    );
    console.log(`Postgres, 20 queries sent at once:`);
    console.log(`  connections opening: ${pool.totalCount}`);
    console.log(`  queries waiting:     ${pool.waitingCount}`);
    const pids = (await Promise.all(asked)).map(
      (r) => r.rows[0].pid,
    );
    console.log(`  sessions that answered: ${new Set(pids).size}`);
    console.log(
      `  afterwards, idle in the pool: ${pool.idleCount}`,
    );

    const ids = await Promise.all(
      twenty.map(() => cache.clientId()),
    );
    console.log(`Redis, 20 commands sent at once:`);
    console.log(
      `  connections that answered: ${new Set(ids).size}`,
    );
    // #endregion at-once
  } finally {
    await pool.end();
  }
}) satisfies Example;

// Output:
// Postgres, 20 queries sent at once:
//   connections opening: 10
//   queries waiting:     10
//   sessions that answered: 10
//   afterwards, idle in the pool: 10
// Redis, 20 commands sent at once:
//   connections that answered: 1
