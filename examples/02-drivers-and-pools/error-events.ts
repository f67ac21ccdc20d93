// Lesson 02 · Both clients report trouble that no caller is waiting
// for with an 'error' event: a pooled connection that dies while
// idle, a Redis connection that drops between two commands. With a
// listener the event is logged and the client carries on; without
// one, Node throws it and the process dies.
import net from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

/** A TCP relay to `target`, so the example can cut connections. */
async function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(+target.port, target.hostname);
    const pair: [net.Socket, net.Socket][] = [
      [inbound, outbound],
      [outbound, inbound],
    ];
    for (const [from, to] of pair) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => {});
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((ok) =>
    server.listen(0, '127.0.0.1', ok),
  );
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.href,
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: () => new Promise((ok) => server.close(ok)),
  };
}

export default (async ({ db, env }) => {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
  const path = await relay(new URL(env.REDIS_URL));
  const flags = createClient({ url: path.url });
  try {
    // #region pg
    pool.on('error', (error: Error & { code?: string }) => {
      console.log(`pool 'error': ${error.code}`);
      console.log(`  ${error.message}`);
    });
    const { rows } = await pool.query(
      'SELECT pg_backend_pid() AS pid',
    );
    console.log(`idle connections: ${pool.idleCount}`);
    const removed = new Promise((ok) => pool.once('remove', ok));
    // Someone ends that idle session (here, another connection):
    await db.query('SELECT pg_terminate_backend($1)', [
      rows[0].pid,
    ]);
    await removed; // the pool has let the dead connection go
    console.log(`idle connections: ${pool.idleCount}`);
    const next = await pool.query('SELECT 1 AS ok'); // a new one
    console.log(`next query: ok ${next.rows[0].ok}`);
    // #endregion pg

    // #region redis
    flags.on('error', (error: Error) =>
      console.log(`client 'error': ${error.message}`),
    );
    flags.on('reconnecting', () =>
      console.log(`client 'reconnecting'`),
    );
    await flags.connect();
    const back = new Promise((ok) => flags.once('ready', ok));
    path.cut(); // the connection drops between two commands
    await back; // the default strategy has reconnected
    console.log(`next command: ${await flags.ping()}`);
    // #endregion redis
  } finally {
    await pool.end();
    if (flags.isOpen) await flags.close();
    await path.close();
  }
}) satisfies Example;

// Output:
// idle connections: 1
// pool 'error': 57P01
//   terminating connection due to administrator command
// idle connections: 0
// next query: ok 1
// client 'error': Socket closed unexpectedly
// client 'reconnecting'
// next command: PONG
