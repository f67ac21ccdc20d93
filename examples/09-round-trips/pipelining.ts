// Lesson 09 · node-redis pipelines by itself: commands issued in the
// same tick leave together, in one write down its one connection,
// and wait for their answers once. A little proxy between the client
// and Redis counts the client's writes and holds every reply back
// 50 ms, as a network farther away would.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache: admin, env }) => {
  // #region proxy
  const real = new URL(env.REDIS_URL);
  const sockets = new Set<Socket>();
  let writes = 0;
  const proxy = createServer((client) => {
    const server = connect(
      Number(real.port || 6379),
      real.hostname,
    );
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        client.destroy();
        server.destroy();
      });
    }
    client.on('data', (chunk) => {
      writes += 1; // one chunk: what the client wrote at once
      server.write(chunk);
    });
    server.on('data', (chunk) =>
      setTimeout(() => client.write(chunk), 50),
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

  const skus = Array.from(
    { length: 20 },
    (_, i) => `stock:tea-${i}`,
  );
  await admin.mSet(
    skus.map((key, i): [string, string] => [key, `${i}`]),
  );
  try {
    // #region tick
    writes = 0;
    let started = performance.now();
    for (const key of skus) await cache.get(key); // one at a time
    let took = performance.now() - started;
    console.log(`awaited one by one: ${writes} writes`);
    console.log(`  waited 20 × 50 ms or more: ${took >= 1000}`);

    writes = 0;
    started = performance.now();
    const stock = await Promise.all(skus.map((k) => cache.get(k)));
    took = performance.now() - started;
    console.log(`issued together: ${writes} write`);
    console.log(`  waited well under 20 × 50 ms: ${took < 500}`);
    console.log(`  answers in order: ${stock.slice(0, 4)}…`);
    // #endregion tick
  } finally {
    cache.destroy();
    for (const socket of sockets) socket.destroy();
    proxy.close();
    await admin.del(skus);
  }
}) satisfies Example;

// Output:
// awaited one by one: 20 writes
//   waited 20 × 50 ms or more: true
// issued together: 1 write
//   waited well under 20 × 50 ms: true
//   answers in order: 0,1,2,3…
