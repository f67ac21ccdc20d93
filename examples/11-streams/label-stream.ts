// Lesson 11 · A warehouse puts shipments on a stream for its label
// printers. XADD appends an entry (capped with MAXLEN ~), a consumer
// group remembers what it handed to whom (the pending entries list),
// XREADGROUP … > hands out entries nobody in the group has had, and
// XACK takes one off the pending list. An acknowledged entry stays
// in the stream: only trimming removes it.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  try {
    // #region add
    for (const order of ['A-100', 'A-101', 'A-102'])
      await cache.xAdd(
        'shipments',
        '*', // Redis picks the id: <milliseconds>-<sequence>
        { order, carrier: 'parcel-post' },
        {
          TRIM: {
            strategy: 'MAXLEN',
            strategyModifier: '~', // trim whole nodes, cheaply
            threshold: 10_000,
          },
        },
      );
    console.log(`entries: ${await cache.xLen('shipments')}`);
    // #endregion add

    // #region group
    // From 0: the entries already there are work for the group too.
    await cache.xGroupCreate('shipments', 'labels', '0', {
      MKSTREAM: true,
    });
    // #endregion group

    // #region read
    const reply = (await cache.xReadGroup(
      'labels',
      'printer-1',
      { key: 'shipments', id: '>' },
      { COUNT: 2 },
    )) as {
      messages: { id: string; message: { order: string } }[];
    }[];
    const taken = reply[0]!.messages;
    console.log(
      `printer-1 got ${taken.map((m) => m.message.order)}`,
    );

    // The summary: how many are pending, and per consumer how many
    // it holds (node-redis calls that count deliveriesCounter).
    const before = await cache.xPending('shipments', 'labels');
    const [holder] = before.consumers ?? [];
    console.log(`pending: ${before.pending}`);
    console.log(
      `${holder?.name} holds ${holder?.deliveriesCounter}`,
    );
    // #endregion read

    // #region ack
    const acked = await cache.xAck(
      'shipments',
      'labels',
      taken[0]!.id,
    );
    const after = await cache.xPending('shipments', 'labels');
    console.log(
      `XACK answered ${acked}; pending now: ${after.pending}`,
    );
    console.log(
      `entries still in the stream: ${await cache.xLen(
        'shipments',
      )}`,
    );
    // #endregion ack
  } finally {
    await cache.del('shipments');
  }
}) satisfies Example;

// Output:
// entries: 3
// printer-1 got
// pending: 2
// printer-1 holds 2
// XACK answered 1; pending now: 1
// entries still in the stream: 3
