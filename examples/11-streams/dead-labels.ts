// Lesson 11 · A label that can never be printed (the address does
// not fit) fails on every delivery. Left alone, it would come back
// for ever. The printer asks Redis how many times the entry was
// delivered (XPENDING, the same count whichever printer had it
// before) and, from the third failure on, files it in a
// dead-letter stream with its error and acknowledges it there and
// then, both in one MULTI: never acked without its dead letter.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

const MAX_DELIVERIES = 3;

export default (async ({ cache }) => {
  await cache.xGroupCreate('shipments', 'labels', '0', {
    MKSTREAM: true,
  });
  try {
    await cache.xAdd('shipments', '*', {
      order: 'C-300',
      address: 'x'.repeat(400),
    });

    function printLabel(address: string) {
      if (address.length > 120) throw new Error('address too long');
    }

    // #region deliveries
    /** Redis's count of an entry's deliveries, across printers. */
    async function deliveries(id: string): Promise<number> {
      const [row] = await cache.xPendingRange(
        'shipments',
        'labels',
        id,
        id,
        1,
      );
      return row?.deliveriesCounter ?? 0;
    }

    async function handle(
      id: string,
      fields: Record<string, string>,
    ) {
      try {
        printLabel(fields.address ?? '');
      } catch (error) {
        const count = await deliveries(id);
        const why = (error as Error).message;
        console.log(`delivery ${count}: ${why}`);
        if (count < MAX_DELIVERIES) return; // stays pending: retried
        await cache
          .multi()
          .xAdd('shipments:dead', '*', { ...fields, error: why })
          .xAck('shipments', 'labels', id)
          .exec();
        return;
      }
      await cache.xAck('shipments', 'labels', id); // printed: done
    }
    // #endregion deliveries

    // #region retry
    const first = (await cache.xReadGroup(
      'labels',
      'printer-1',
      { key: 'shipments', id: '>' },
      { COUNT: 1 },
    )) as {
      messages: { id: string; message: Record<string, string> }[];
    }[];
    for (const m of first[0]!.messages)
      await handle(m.id, m.message);
    for (let turn = 0; turn < 4; turn += 1) {
      await sleep(120); // the claim idle time, and a little more
      const { messages } = await cache.xAutoClaim(
        'shipments',
        'labels',
        'printer-2',
        100,
        '0-0',
        { COUNT: 1 },
      );
      for (const m of messages)
        if (m) await handle(m.id, m.message);
    }
    // #endregion retry

    // #region after
    const dead = await cache.xRange('shipments:dead', '-', '+');
    const pending = await cache.xPending('shipments', 'labels');
    console.log(
      `dead letters: ${dead.length}, order ${
        dead[0]?.message.order
      }, error "${dead[0]?.message.error}"`,
    );
    console.log(`still pending: ${pending.pending}`);
    // #endregion after
  } finally {
    await cache.del(['shipments', 'shipments:dead']);
  }
}) satisfies Example;

// Output:
// delivery 1: address too long
// delivery 2: address too long
// delivery 3: address too long
// dead letters: 1, order C-300, error "address too long"
// still pending: 0
