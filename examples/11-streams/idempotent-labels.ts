// Lesson 11 · Streams deliver at least once: a printer that dies
// after its work but before its XACK has that entry delivered again.
// So the work is made safe to repeat: the label row is keyed by the
// stream entry's id, and a second delivery finds it there and only
// acknowledges. The row and the check are one INSERT … ON CONFLICT
// DO NOTHING: no moment where two printers both see "not done yet".
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

interface Entry {
  id: string;
  message: Record<string, string>;
}

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE labels (
    entry_id text PRIMARY KEY,
    order_id text NOT NULL,
    made_at timestamptz NOT NULL DEFAULT now())`);
  await cache.xGroupCreate('shipments', 'labels', '0', {
    MKSTREAM: true,
  });
  try {
    // #region handle
    async function makeLabel(entry: Entry): Promise<string> {
      const { rowCount } = await db.query(
        `INSERT INTO labels (entry_id, order_id) VALUES ($1, $2)
         ON CONFLICT (entry_id) DO NOTHING`,
        [entry.id, entry.message.order],
      );
      await cache.xAck('shipments', 'labels', entry.id);
      return rowCount === 1 ? 'label made' : 'already made, acked';
    }
    // #endregion handle

    // #region twice
    await cache.xAdd('shipments', '*', { order: 'E-500' });
    const reply = (await cache.xReadGroup(
      'labels',
      'printer-1',
      { key: 'shipments', id: '>' },
      { COUNT: 1 },
    )) as { messages: Entry[] }[];
    const entry = reply[0]!.messages[0]!;
    // printer-1 makes the label, then dies before its XACK:
    await db.query(
      'INSERT INTO labels (entry_id, order_id) VALUES ($1, $2)',
      [entry.id, entry.message.order],
    );
    // printer-2 takes the entry over once it has been idle 100 ms.
    await sleep(150);
    const { messages } = await cache.xAutoClaim(
      'shipments',
      'labels',
      'printer-2',
      100,
      '0-0',
      { COUNT: 1 },
    );
    console.log(
      `second delivery: ${await makeLabel(messages[0]!)}`,
    );
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM labels',
    );
    console.log(`labels for E-500: ${rows[0].n}`);
    // #endregion twice
  } finally {
    await db.query('DROP TABLE labels');
    await cache.del('shipments');
  }
}) satisfies Example;

// Output:
// second delivery: already made, acked
// labels for E-500: 1
