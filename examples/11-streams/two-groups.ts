// Lesson 11 · One stream, two consumer groups. Each group gets every
// entry (billing and labels both see each shipment, as pub/sub
// subscribers would), and within a group the entries are shared out
// (two printers split the labels, as workers on a list queue would).
// Unlike pub/sub, the entries wait in the stream: a group created
// after they were added still reads them, from ID 0.
import type { Example } from '../../lib/example.ts';

type Reply =
  { messages: { message: { order: string } }[] }[] | null;

export default (async ({ cache }) => {
  try {
    // #region groups
    for (const order of ['F-1', 'F-2', 'F-3', 'F-4'])
      await cache.xAdd('shipments', '*', { order });
    // Both groups created after the four entries were added:
    for (const group of ['billing', 'labels'])
      await cache.xGroupCreate('shipments', group, '0');

    const read = async (group: string, consumer: string) => {
      const reply = (await cache.xReadGroup(
        group,
        consumer,
        { key: 'shipments', id: '>' },
        { COUNT: 2 },
      )) as Reply;
      const orders = reply?.[0]?.messages.map(
        (m) => m.message.order,
      );
      console.log(`${group}/${consumer}: ${orders ?? 'nothing'}`);
    };
    await read('labels', 'printer-1');
    await read('labels', 'printer-2');
    await read('labels', 'printer-1');
    await read('billing', 'invoicer');
    await read('billing', 'invoicer');
    // #endregion groups
  } finally {
    await cache.del('shipments');
  }
}) satisfies Example;

// Output:
// labels/printer-1: F-1,F-2
// labels/printer-2: F-3,F-4
// labels/printer-1: nothing
// billing/invoicer: F-1,F-2
// billing/invoicer: F-3,F-4
