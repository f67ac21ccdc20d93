// Lesson 11 · A label printer takes a shipment and dies before its
// XACK. The entry stays in the group's pending list, held by the
// dead printer, with its idle time growing. XAUTOCLAIM hands a
// live printer every entry idle for at least the time it names:
// asked too early, it takes nothing (the first printer might just
// be slow); asked later, it takes the entry over and Redis counts
// a second delivery.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  await cache.xGroupCreate('shipments', 'labels', '0', {
    MKSTREAM: true,
  });
  try {
    // #region die
    await cache.xAdd('shipments', '*', { order: 'B-200' });
    await cache.xReadGroup(
      'labels',
      'printer-1',
      { key: 'shipments', id: '>' },
      { COUNT: 1 },
    );
    // …and printer-1 loses its power here, before any XACK.
    // #endregion die

    // #region claim
    const takeOver = () =>
      cache.xAutoClaim(
        'shipments',
        'labels',
        'printer-2',
        500, // ms: longer than printing one label ever takes
        '0-0', // scan the pending list from its start
        { COUNT: 1 },
      );

    const early = await takeOver();
    console.log(`at once: ${early.messages.length} taken over`);
    await sleep(600);
    const later = await takeOver();
    const entry = later.messages[0];
    console.log(
      `after 0.6 s: ${later.messages.length} taken over, ${
        entry?.message.order
      }`,
    );

    const [info] = await cache.xPendingRange(
      'shipments',
      'labels',
      '-',
      '+',
      10,
    );
    console.log(
      `now held by ${info?.consumer}, delivered ${
        info?.deliveriesCounter
      } times`,
    );
    await cache.xAck('shipments', 'labels', entry!.id);
    // #endregion claim
  } finally {
    await cache.del('shipments');
  }
}) satisfies Example;

// Output:
// at once: 0 taken over
// after 0.6 s: 1 taken over, B-200
// now held by printer-2, delivered 2 times
