// Lesson 10 · TTLs are a cache's own memory management. A weather
// service caches forecasts for a short while; every forecast key
// carries a TTL, so the cache holds at most what was written during
// one TTL, and memory comes back without anyone deleting anything.
// The list of stations has no TTL: under a volatile-* policy it can
// never be evicted, under allkeys-* it can. INFO keyspace counts
// both kinds per database: keys, and how many of them expire.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache, env }) => {
  const db = new URL(env.REDIS_URL).pathname.slice(1) || '0';
  const cities = Array.from({ length: 50 }, (_, i) => `city-${i}`);
  try {
    // #region count
    /** This database's `keys=…,expires=…`, from INFO keyspace. */
    async function keyspace() {
      const line = (await cache.info('keyspace'))
        .split('\r\n')
        .find((l) => l.startsWith(`db${db}:`));
      const field = (name: string) =>
        Number(
          new RegExp(`${name}=(\\d+)`).exec(line ?? '')?.[1] ?? 0,
        );
      return { keys: field('keys'), expires: field('expires') };
    }

    /** Keys really there: SCAN never returns an expired key. */
    async function live(match: string): Promise<number> {
      let n = 0;
      for await (const keys of cache.scanIterator({ MATCH: match }))
        n += keys.length;
      return n;
    }
    // #endregion count

    const empty = await keyspace();
    // #region fill
    await cache.set('stations', JSON.stringify(cities)); // no TTL
    for (const city of cities)
      await cache.set(
        `forecast:${city}`,
        JSON.stringify({ city, highC: 21, rain: 0.2 }),
        { expiration: { type: 'PX', value: 300 } },
      );
    const bytes = await cache.memoryUsage('forecast:city-0');
    // #endregion fill

    // #region wait
    const full = await keyspace();
    const added = full.keys - empty.keys;
    const expiring = full.expires - empty.expires;
    console.log(
      `keys added: ${added}, of which expire: ${expiring}`,
    );
    console.log(`one forecast: under 1 KB: ${(bytes ?? 0) < 1024}`);
    await sleep(500); // longer than the forecasts' TTL
    const left = await live('forecast:*');
    console.log(`forecasts left after their TTL: ${left}`);
    console.log(
      `stations still there: ${(await live('stations')) === 1}`,
    );
    // #endregion wait
  } finally {
    await cache.del([
      'stations',
      ...cities.map((c) => `forecast:${c}`),
    ]);
  }
}) satisfies Example;

// Output:
// keys added: 51, of which expire: 50
// one forecast: under 1 KB: true
// forecasts left after their TTL: 0
// stations still there: true
