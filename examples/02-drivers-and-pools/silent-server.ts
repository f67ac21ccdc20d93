// Lesson 02 · A server that accepts the connection and then says
// nothing (a hung process, the wrong service on the port). pg
// waits for it forever unless the pool has connectionTimeoutMillis.
// node-redis's connectTimeout bounds only the wait for the socket
// to open, and this socket opens at once.
import net from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

/** A server that accepts every connection and never answers. */
async function silentServer() {
  const held = new Set<net.Socket>();
  const server = net.createServer((socket) => held.add(socket));
  await new Promise<void>((ok) =>
    server.listen(0, '127.0.0.1', ok),
  );
  return {
    port: (server.address() as net.AddressInfo).port,
    hangUp: () => held.forEach((socket) => socket.destroy()),
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Whether a promise has settled, to be looked at later. */
function watch(promise: Promise<unknown>) {
  const state = { settled: false };
  const settle = () => (state.settled = true);
  promise.then(settle, settle);
  return state;
}

const sleep = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, ms));

export default (async ({ env }) => {
  const silent = await silentServer();
  // #region silent
  const address = new URL(env.DATABASE_URL);
  address.port = String(silent.port); // the silent server
  const untimed = new pg.Pool({ connectionString: address.href });
  const timed = new pg.Pool({
    connectionString: address.href,
    connectionTimeoutMillis: 500,
  });
  const cache = createClient({
    socket: {
      host: '127.0.0.1',
      port: silent.port,
      connectTimeout: 500,
      reconnectStrategy: false,
    },
  });
  cache.on('error', () => {});
  try {
    const started = performance.now();
    await timed.query('SELECT 1').catch((error: Error) => {
      const ms = performance.now() - started;
      console.log('pg, connectionTimeoutMillis 500:');
      console.log(`  ${error.message}`);
      console.log(`  under 1 s: ${ms < 1000}`);
    });

    const query = watch(untimed.query('SELECT 1'));
    const connect = watch(cache.connect());
    await sleep(1000);
    console.log('pg, no connectionTimeoutMillis:');
    console.log(`  query settled after 1 s: ${query.settled}`);
    console.log('node-redis, connectTimeout 500:');
    console.log(
      `  connect() settled after 1 s: ${connect.settled}`,
    );
  } finally {
    silent.hangUp(); // the server drops every connection
    await Promise.all([untimed.end(), timed.end()]);
  }
  // #endregion silent
  await silent.close();
}) satisfies Example;

// Output:
// pg, connectionTimeoutMillis 500:
//   Connection terminated due to connection timeout
//   under 1 s: true
// pg, no connectionTimeoutMillis:
//   query settled after 1 s: false
// node-redis, connectTimeout 500:
//   connect() settled after 1 s: false
