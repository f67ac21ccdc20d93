// Lesson 09 · Both travel in one write; only MULTI/EXEC is a
// transaction. A sale moves 2 tins from stock to sold. A little
// proxy lets the client's first commands through, waits for Redis
// to answer them, lets another client look, then lets the rest go:
// between a pipeline's commands the other client sees half a sale;
// inside MULTI, Redis only queues until EXEC, so it sees none.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

/** Where the first `count` commands of a RESP chunk end. */
function endOfCommands(chunk: Buffer, count: number): number {
  let at = 0;
  const number = (from: number, to: number) =>
    Number(chunk.subarray(from + 1, to).toString());
  for (let c = 0; c < count; c += 1) {
    const line = chunk.indexOf('\r\n', at);
    const args = number(at, line);
    at = line + 2;
    for (let i = 0; i < args; i += 1) {
      const end = chunk.indexOf('\r\n', at);
      at = end + 2 + number(at, end) + 2;
    }
  }
  return at;
}

/** The command names in a RESP chunk. */
const names = (chunk: Buffer) =>
  [...chunk.toString().matchAll(/\*\d+\r\n\$\d+\r\n(\w+)\r\n/g)]
    .map((m) => m[1])
    .join(' ');

export default (async ({ cache: other, env }) => {
  const real = new URL(env.REDIS_URL);
  const sockets = new Set<Socket>();
  let pause:
    { after: number; look: () => Promise<void> } | undefined;
  let held: { replies: number; release: () => void } | undefined;
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
      if (!pause) return void server.write(chunk);
      const { after, look } = pause;
      pause = undefined;
      console.log(`  sent in one write: ${names(chunk)}`);
      const cut = endOfCommands(chunk, after);
      server.write(chunk.subarray(0, cut));
      held = {
        replies: after, // one line each: +OK, +QUEUED, :8
        release: () =>
          void look().then(() => server.write(chunk.subarray(cut))),
      };
    });
    server.on('data', (chunk) => {
      client.write(chunk);
      if (!held) return;
      held.replies -= chunk.toString().split('\r\n').length - 1;
      if (held.replies > 0) return;
      const { release } = held;
      held = undefined;
      release();
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const viaProxy = new URL(env.REDIS_URL);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String((proxy.address() as AddressInfo).port);
  const cache = createClient({ url: viaProxy.toString() });
  cache.on('error', () => {});
  await cache.connect();

  await other.mSet({ 'stock:tea-01': '10', 'sold:tea-01': '0' });
  const pauseAfter = (after: number, look: () => Promise<void>) => {
    pause = { after, look };
  };
  try {
    // #region sale
    async function look(when: string) {
      const [stock, sold] = await other.mGet([
        'stock:tea-01',
        'sold:tea-01',
      ]);
      console.log(`  ${when}: stock ${stock}, sold ${sold}`);
    }

    console.log('a pipeline, multi()…execAsPipeline():');
    pauseAfter(1, () => look('another client, in between'));
    await cache
      .multi()
      .decrBy('stock:tea-01', 2)
      .incrBy('sold:tea-01', 2)
      .execAsPipeline();
    await look('afterwards');

    console.log('a transaction, multi()…exec():');
    pauseAfter(2, () => look('another client, in between'));
    await cache
      .multi()
      .decrBy('stock:tea-01', 2)
      .incrBy('sold:tea-01', 2)
      .exec();
    await look('afterwards');
    // #endregion sale
  } finally {
    cache.destroy();
    for (const socket of sockets) socket.destroy();
    proxy.close();
    await other.del(['stock:tea-01', 'sold:tea-01']);
  }
}) satisfies Example;

// Output:
// a pipeline, multi()…execAsPipeline():
//   sent in one write: DECRBY INCRBY
//   another client, in between: stock 8, sold 0
//   afterwards: stock 8, sold 2
// a transaction, multi()…exec():
//   sent in one write: MULTI DECRBY INCRBY EXEC
//   another client, in between: stock 8, sold 2
//   afterwards: stock 6, sold 4
