// Lesson 11 · XREADGROUP … BLOCK waits on the server until an entry
// arrives or the time is up, and its connection can do nothing else
// meanwhile. So a printer reads on a connection of its own: a
// duplicate, made once, with its own 'error' listener (a duplicate
// inherits none), closed when the printer stops. The shared client
// keeps answering the rest of the application.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  await cache.xGroupCreate('shipments', 'labels', '0', {
    MKSTREAM: true,
  });
  // #region line
  const line = cache.duplicate();
  line.on('error', (error: Error) =>
    console.error(`printer line: ${error.message}`),
  );
  await line.connect();
  // #endregion line
  try {
    // #region wait
    const since = performance.now();
    const waiting = line.xReadGroup(
      'labels',
      'printer-1',
      { key: 'shipments', id: '>' },
      { COUNT: 1, BLOCK: 2000 }, // ms; 0 would wait for ever
    );
    const pong = await cache.ping(); // the shared client is free
    const quick = performance.now() - since < 500;
    console.log(`shared client answered ${pong} at once: ${quick}`);

    await sleep(200);
    await cache.xAdd('shipments', '*', { order: 'D-400' });
    const reply = (await waiting) as
      { messages: { message: { order: string } }[] }[] | null;
    const took = performance.now() - since;
    console.log(
      `the waiting read got ${
        reply?.[0]?.messages[0]?.message.order
      }`,
    );
    console.log(`long before its 2 s were up: ${took < 1500}`);
    // #endregion wait
  } finally {
    await line.close();
    await cache.del('shipments');
  }
}) satisfies Example;

// Output:
// shared client answered PONG at once: true
// the waiting read got D-400
// long before its 2 s were up: true
