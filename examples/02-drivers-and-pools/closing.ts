// Lesson 02 · Closing, once, at shutdown. pool.end() closes every
// connection of the pool, and the pool cannot be used again.
// client.close() lets the commands already sent get their replies,
// then closes the connection; client.destroy() does not wait, and
// the commands still in flight are rejected.
import pg from 'pg';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache, env }) => {
  try {
    // #region pool-end
    const pool = new pg.Pool({
      connectionString: env.DATABASE_URL,
    });
    await Promise.all([
      pool.query('SELECT 1'),
      pool.query('SELECT 2'),
    ]);
    console.log(`before end(): ${pool.totalCount} connections`);
    await pool.end();
    console.log(`after end():  ${pool.totalCount} connections`);
    await pool
      .query('SELECT 1')
      .catch((error) =>
        console.log(`then a query: ${error.message}`),
      );
    // #endregion pool-end

    // #region client-close
    const flags = createClient({ url: env.REDIS_URL });
    flags.on('error', (error) =>
      console.log(`redis: ${error.message}`),
    );
    await flags.connect();
    const sent = flags.set('flag:dark-mode', 'on');
    await flags.close(); // waits for the SET's reply
    console.log(`close(): the SET sent just before: ${await sent}`);
    console.log(`  client open: ${flags.isOpen}`);
    await flags
      .get('flag:dark-mode')
      .catch((error) =>
        console.log(`  then a GET: ${error.message}`),
      );

    const hasty = createClient({ url: env.REDIS_URL });
    hasty.on('error', (error) =>
      console.log(`redis: ${error.message}`),
    );
    await hasty.connect();
    const inFlight = hasty.del('flag:dark-mode');
    hasty.destroy(); // does not wait
    await inFlight.catch((error) =>
      console.log(`destroy(): the DEL in flight: ${error.message}`),
    );
    // #endregion client-close
  } finally {
    await cache.del('flag:dark-mode');
  }
}) satisfies Example;

// Output:
// before end(): 2 connections
// after end():  0 connections
// then a query: Cannot use a pool after calling end on the pool
// close(): the SET sent just before: OK
//   client open: false
//   then a GET: The client is closed
// destroy(): the DEL in flight: Disconnects client
