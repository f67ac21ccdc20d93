// Lesson 06 · Caching absence: a currency Postgres does not know is
// remembered as a marker with a short TTL, so asking again costs no
// query. The price: once the row exists, the marker still says "no"
// until its TTL runs out, which is why that TTL is short.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE rates (currency text PRIMARY KEY,
    per_euro numeric NOT NULL)`);
  let queries = 0;
  try {
    // #region absent
    const NONE = 'none'; // never a rate, so never mistaken for one

    async function rateOf(currency: string) {
      const key = `fx:${currency}`;
      const note = await cache.get(key);
      if (note === NONE) return { from: 'Redis', rate: null };
      if (note !== null) return { from: 'Redis', rate: note };
      queries += 1;
      const { rows } = await db.query(
        'SELECT per_euro FROM rates WHERE currency = $1',
        [currency],
      );
      const rate: string | null = rows[0]?.per_euro ?? null;
      await cache.set(key, rate ?? NONE, {
        expiration: { type: 'EX', value: rate ? 3600 : 30 },
      });
      return { from: 'Postgres', rate };
    }
    // #endregion absent

    // #region asks
    const first = await rateOf('XAU');
    console.log(`XAU: ${first.rate} from ${first.from}`);
    const again = await rateOf('XAU');
    console.log(`XAU again: ${again.rate} from ${again.from}`);
    console.log(`SQL queries: ${queries}`);
    const note = await cache.get('fx:XAU');
    const ttl = await cache.ttl('fx:XAU');
    console.log(`fx:XAU holds "${note}", TTL ${ttl} s`);

    await db.query("INSERT INTO rates VALUES ('XAU', 0.00041)");
    const later = await rateOf('XAU');
    console.log(
      `XAU, now in Postgres: ${later.rate} from ${later.from}`,
    );
    // #endregion asks
  } finally {
    await db.query('DROP TABLE rates');
    await cache.del('fx:XAU');
  }
}) satisfies Example;

// Output:
// XAU: null from Postgres
// XAU again: null from Redis
// SQL queries: 1
// fx:XAU holds "none", TTL 30 s
// XAU, now in Postgres: null from Redis
