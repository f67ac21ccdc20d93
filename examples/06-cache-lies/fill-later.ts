// Lesson 06 · The fill is best effort: answer first, put the note
// back after, and catch its failure. Here Redis is down (the client
// points at a port where nothing listens, and with its offline
// queue disabled every command fails at once), and the rate still
// comes back. A fill left uncaught is an unhandled rejection,
// which Node by default raises as an uncaught exception: the
// process ends. (Here a listener counts it, and so keeps the
// process alive.)
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

export default (async ({ db, env }) => {
  await db.query(`CREATE TABLE rates (currency text PRIMARY KEY,
    per_euro numeric NOT NULL)`);
  await db.query("INSERT INTO rates VALUES ('USD', 1.0832)");
  // A port that was free a moment ago, and where nothing listens.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const nowhere = new URL(env.REDIS_URL);
  nowhere.hostname = '127.0.0.1';
  nowhere.port = String((probe.address() as AddressInfo).port);
  probe.close();
  const cache = createClient({
    url: nowhere.toString(),
    disableOfflineQueue: true, // fail now rather than wait
    socket: { reconnectStrategy: () => 50 },
  });
  cache.on('error', () => {}); // it keeps trying: ECONNREFUSED
  cache.connect().catch(() => {});
  let unhandled = 0;
  const count = () => (unhandled += 1);
  process.on('unhandledRejection', count);

  try {
    // #region fill
    async function rateOf(currency: string) {
      const key = `fx:${currency}`;
      const note = await cache.get(key).catch((error: Error) => {
        console.log(`GET failed: ${error.message}`);
        return null; // read Postgres instead
      });
      if (note !== null) return note;
      const { rows } = await db.query(
        'SELECT per_euro FROM rates WHERE currency = $1',
        [currency],
      );
      const rate: string = rows[0].per_euro;
      cache // not awaited: the caller does not wait for the note
        .set(key, rate, { expiration: { type: 'EX', value: 3600 } })
        .catch((error: Error) =>
          console.log(`fill failed: ${error.message}`),
        );
      return rate;
    }

    console.log(`USD: ${await rateOf('USD')}`);
    // #endregion fill

    // #region uncaught
    void cache.set('fx:USD', '1.0832'); // no .catch
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(`unhandled rejections: ${unhandled}`);
    // #endregion uncaught
  } finally {
    process.off('unhandledRejection', count);
    cache.destroy();
    await db.query('DROP TABLE rates');
  }
}) satisfies Example;

// Output:
// GET failed: The client is offline
// USD: 1.0832
// fill failed: The client is offline
// unhandled rejections: 1
