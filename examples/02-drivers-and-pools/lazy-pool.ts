// Lesson 02 · A pg.Pool is lazy: making one opens nothing, and the
// first query opens the first connection. So a pool with a wrong
// address is made without a word; only its first query finds out.
import net from 'node:net';
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

/** A port where nothing listens: open a server there, close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((ok) =>
    server.listen(0, '127.0.0.1', ok),
  );
  const { port } = server.address() as net.AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

export default (async ({ env }) => {
  // #region lazy
  const flags = new pg.Pool({ connectionString: env.DATABASE_URL });
  console.log(`made:        ${flags.totalCount} connections`);
  await flags.query('SELECT 1');
  console.log(`first query: ${flags.totalCount} connection`);
  await flags.query('SELECT 1');
  console.log(
    `second one:  ${flags.totalCount} connection, reused`,
  );
  await flags.end();
  // #endregion lazy

  // #region wrong-address
  const wrong = new URL(env.DATABASE_URL);
  wrong.port = String(await closedPort()); // nothing listens there
  const pool = new pg.Pool({ connectionString: wrong.toString() });
  console.log('a pool on a closed port: made, no error');
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    console.log(
      `its first query: ${(error as { code?: string }).code}`,
    );
  } finally {
    await pool.end();
  }
  // #endregion wrong-address
}) satisfies Example;

// Output:
// made:        0 connections
// first query: 1 connection
// second one:  1 connection, reused
// a pool on a closed port: made, no error
// its first query: ECONNREFUSED
