// Lesson 07 · "A price changed", shouted on a channel. Two parts of
// the application listen on ONE dedicated subscriber connection.
// PUBLISH answers how many connections received the message, not
// how many handlers; a message published while nobody listens is
// gone, and Redis never sends it again (at-most-once delivery).
// Messages are strings: events travel as JSON, and a message that
// does not parse is skipped.
import type { Example } from '../../lib/example.ts';

interface PriceChange {
  sku: string;
  from: number;
  to: number;
}

export default (async ({ cache }) => {
  const notes: string[] = [];
  let noted = () => {};
  const note = (line: string) => {
    console.log(line);
    notes.push(line);
    noted();
  };
  const change = (sku: string, from: number, to: number) =>
    JSON.stringify({ sku, from, to } satisfies PriceChange);

  // #region before
  const early = await cache.publish(
    'price-changed',
    change('tea-01', 12.5, 12),
  );
  console.log(
    `published before anyone listened: ${early} receivers`,
  );
  // #endregion before

  // #region listen
  function parseChange(message: string): PriceChange | null {
    try {
      const event = JSON.parse(message) as PriceChange;
      return typeof event?.sku === 'string' ? event : null;
    } catch {
      return null; // anyone may publish here: not ours, skip it
    }
  }

  const listener = cache.duplicate(); // one line, both handlers
  listener.on('error', (error: Error) =>
    console.error(error.message),
  );
  await listener.connect();

  await listener.subscribe('price-changed', (message) => {
    const event = parseChange(message);
    if (event)
      note(`shop page: ${event.sku} now ${event.to.toFixed(2)}`);
  });
  await listener.subscribe('price-changed', (message) => {
    const event = parseChange(message);
    if (event && event.to < event.from)
      note(`watchlist: ${event.sku} down ${event.from - event.to}`);
  });
  // #endregion listen

  try {
    // #region publish
    const allHeard = new Promise<void>((resolve) => {
      noted = () => notes.length === 3 && resolve();
    });
    const receivers = [
      await cache.publish(
        'price-changed',
        change('tea-01', 12, 11),
      ),
      await cache.publish('price-changed', 'restock at noon'),
      await cache.publish('price-changed', change('tea-07', 8, 9)),
    ];
    await allHeard;
    console.log(
      `receivers, one connection: ${receivers.join(', ')}`,
    );
    const missed = !notes.some((line) => line.endsWith('12.00'));
    console.log(`the change to 12.00 never arrived: ${missed}`);

    await listener.unsubscribe('price-changed');
    await listener.close();
    const late = await cache.publish(
      'price-changed',
      change('tea-07', 9, 8),
    );
    console.log(`after unsubscribe and close: ${late} receivers`);
    // #endregion publish
  } finally {
    if (listener.isOpen) listener.destroy();
  }
}) satisfies Example;

// Output:
// published before anyone listened: 0 receivers
// shop page: tea-01 now 11.00
// watchlist: tea-01 down 1
// shop page: tea-07 now 9.00
// receivers, one connection: 1, 1, 1
// the change to 12.00 never arrived: true
// after unsubscribe and close: 0 receivers
