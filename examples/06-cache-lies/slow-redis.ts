// Lesson 06 · A deadline on the cache, and Postgres behind it. A
// little proxy stands between this code and Redis; once it holds
// every reply back for a second, the read gives Redis 100 ms, then
// answers from Postgres, and the caller never waits for the second.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

export default (async ({ db, env }) => {
  await db.query(`CREATE TABLE rates (currency text PRIMARY KEY,
    per_euro numeric NOT NULL)`);
  await db.query("INSERT INTO rates VALUES ('USD', 1.0832)");

  // #region proxy
  // The proxy: what the client sends goes straight to Redis; what
  // Redis answers waits `delayMs` before it goes back.
  const real = new URL(env.REDIS_URL);
  const redisPort = Number(real.port || 6379);
  const sockets = new Set<Socket>();
  let delayMs = 0;
  const proxy = createServer((client) => {
    const server = connect(redisPort, real.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        server.destroy();
      });
    }
    client.on('data', (chunk) => server.write(chunk));
    server.on('data', (chunk) =>
      setTimeout(() => client.write(chunk), delayMs),
    );
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const viaProxy = new URL(env.REDIS_URL);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String((proxy.address() as AddressInfo).port);
  const cache = createClient({ url: viaProxy.toString() });
  cache.on('error', () => {});
  await cache.connect();
  // #endregion proxy

  try {
    // #region deadline
    const TOO_SLOW = Symbol('too slow');
    const FAILED = Symbol('failed');

    // What `work` gives, or TOO_SLOW once `ms` have passed. The
    // timer ends the wait, not the command: Redis still runs it.
    function within<T>(ms: number, work: Promise<T>) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<typeof TOO_SLOW>((resolve) => {
        timer = setTimeout(resolve, ms, TOO_SLOW);
      });
      return Promise.race([work, late]).finally(() =>
        clearTimeout(timer),
      );
    }

    async function rateOf(currency: string) {
      const key = `fx:${currency}`;
      const note = await within(100, cache.get(key)).catch(
        () => FAILED,
      );
      if (typeof note === 'string') return `${note} from Redis`;
      const { rows } = await db.query(
        'SELECT per_euro FROM rates WHERE currency = $1',
        [currency],
      );
      const rate: string = rows[0].per_euro;
      cache // the fill: not awaited, and its failure only logged
        .set(key, rate, { expiration: { type: 'EX', value: 3600 } })
        .catch((error: Error) =>
          console.log(`fill: ${error.message}`),
        );
      const why = note === null ? 'a miss' : note.description;
      return `${rate} from Postgres (Redis: ${why})`;
    }
    // #endregion deadline

    // #region slow
    console.log(`USD: ${await rateOf('USD')}`);
    await cache.ping(); // replies come in order: the fill's is in
    console.log(`USD: ${await rateOf('USD')}`);

    delayMs = 1000; // from now on, every reply waits a second
    const started = performance.now();
    console.log(`USD: ${await rateOf('USD')}`);
    const took = performance.now() - started;
    console.log(`answered in under 0.5 s: ${took < 500}`);
    // #endregion slow
    await cache.ping(); // every late reply in, before closing
    await cache.del('fx:USD');
  } finally {
    cache.destroy();
    for (const socket of sockets) socket.destroy();
    proxy.close();
    await db.query('DROP TABLE rates');
  }
}) satisfies Example;

// Output:
// USD: 1.0832 from Postgres (Redis: a miss)
// USD: 1.0832 from Redis
// USD: 1.0832 from Postgres (Redis: too slow)
// answered in under 0.5 s: true
