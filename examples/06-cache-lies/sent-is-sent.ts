// Lesson 06 · A command already sent is not taken back. Through a
// proxy that holds every Redis reply back for a second: a timer
// that wins the race only stops the waiting (Redis has stored the
// value all the same), and node-redis's own `timeout` and
// `AbortSignal` options act only on a command not yet written to
// the socket: a SET already sent resolves when its reply comes.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache, env }) => {
  // The proxy: what the client sends goes straight to Redis; what
  // Redis answers waits a second before it goes back.
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
  const slow = createClient({ url: viaProxy.toString() });
  slow.on('error', () => {});
  await slow.connect();
  delayMs = 1000;
  const timed = async (work: Promise<unknown>) => {
    const started = performance.now();
    const reply = await work;
    const slowly = performance.now() - started > 500;
    return `${reply} after over 0.5 s: ${slowly}`;
  };

  try {
    // #region race
    const set = slow.set('fx:USD', '1.0832');
    const late = new Promise((resolve) =>
      setTimeout(resolve, 100, 'gave up waiting'),
    );
    const first = await Promise.race([set, late]);
    console.log(`SET raced against 100 ms: ${first}`);
    const stored = await cache.get('fx:USD'); // asked directly
    console.log(`and Redis holds it all the same: ${stored}`);
    // #endregion race

    // #region options
    const withTimeout = slow.withCommandOptions({ timeout: 100 });
    const gbp = await timed(withTimeout.set('fx:GBP', '0.8571'));
    console.log(`SET, 100 ms timeout: ${gbp}`);

    const signal = AbortSignal.timeout(100);
    const withSignal = slow.withAbortSignal(signal);
    const jpy = await timed(withSignal.set('fx:JPY', '162.4'));
    console.log(`SET, signal at 100 ms: ${jpy}`);
    // #endregion options
    await slow.ping(); // every late reply in, before closing
  } finally {
    slow.destroy();
    for (const socket of sockets) socket.destroy();
    proxy.close();
    await cache.del(['fx:USD', 'fx:GBP', 'fx:JPY']);
  }
}) satisfies Example;

// Output:
// SET raced against 100 ms: gave up waiting
// and Redis holds it all the same: 1.0832
// SET, 100 ms timeout: OK after over 0.5 s: true
// SET, signal at 100 ms: OK after over 0.5 s: true
