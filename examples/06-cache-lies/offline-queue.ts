// Lesson 06 · The offline queue. While its connection is down, a
// node-redis client keeps new commands in memory and sends them
// once it has reconnected: a SET whose caller gave up after 100 ms
// lands later all the same. A `timeout` option drops a command
// still queued when it fires; `disableOfflineQueue` refuses to
// queue at all. The line is a proxy, taken down and brought back.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient, TimeoutError } from 'redis';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache, env }) => {
  // The line: a proxy that passes bytes both ways. Taken down, it
  // closes its connections and stops listening, so a new one is
  // refused; brought back, it listens on the same port again.
  const real = new URL(env.REDIS_URL);
  const redisPort = Number(real.port || 6379);
  const sockets = new Set<Socket>();
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
    client.pipe(server).pipe(client);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const port = (proxy.address() as AddressInfo).port;
  const viaProxy = new URL(env.REDIS_URL);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(port);
  const clientWith = (disableOfflineQueue: boolean) => {
    const client = createClient({
      url: viaProxy.toString(),
      disableOfflineQueue,
      socket: { reconnectStrategy: () => 50 },
    });
    client.on('error', () => {});
    return client;
  };
  const queuing = clientWith(false); // node-redis's default
  const refusing = clientWith(true);
  await Promise.all([queuing.connect(), refusing.connect()]);

  try {
    const noticed = [queuing, refusing].map(
      (c) =>
        new Promise((resolve) => c.once('reconnecting', resolve)),
    );
    proxy.close();
    for (const socket of sockets) socket.destroy();
    await Promise.all(noticed);
    console.log('the line is down; both clients are reconnecting');

    // #region queued
    const usd = queuing.set('fx:USD', '1.0832');
    const late = new Promise((resolve) =>
      setTimeout(resolve, 100, 'gave up waiting'),
    );
    const first = await Promise.race([usd, late]);
    console.log(`SET raced against 100 ms: ${first}`);

    const gbp = await queuing
      .withCommandOptions({ timeout: 100 })
      .set('fx:GBP', '0.8571')
      .catch((error) => error);
    const what = gbp instanceof TimeoutError ? 'TimeoutError' : gbp;
    console.log(`SET with a 100 ms timeout: ${what}`);

    const jpy = await refusing
      .set('fx:JPY', '162.4')
      .catch((error: Error) => error.message);
    console.log(`SET with no offline queue: ${jpy}`);

    const keys = ['fx:USD', 'fx:GBP', 'fx:JPY'];
    const present = await cache.exists(keys);
    console.log(`of the three, in Redis now: ${present}`);

    proxy.listen(port, '127.0.0.1'); // the line is back
    console.log(`the raced SET, once reconnected: ${await usd}`);
    console.log(`fx:USD: ${await cache.get('fx:USD')}`);
    console.log(`fx:GBP: ${await cache.get('fx:GBP')}`);
    // #endregion queued
  } finally {
    queuing.destroy();
    refusing.destroy();
    for (const socket of sockets) socket.destroy();
    if (proxy.listening) proxy.close();
    await cache.del(['fx:USD', 'fx:GBP', 'fx:JPY']);
  }
}) satisfies Example;

// Output:
// the line is down; both clients are reconnecting
// SET raced against 100 ms: gave up waiting
// SET with a 100 ms timeout: TimeoutError
// SET with no offline queue: The client is offline
// of the three, in Redis now: 0
// the raced SET, once reconnected: OK
// fx:USD: 1.0832
// fx:GBP: null
