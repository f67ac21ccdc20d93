// Lesson 04 · Cache-aside on a product catalogue: the first read of a product misses and opens
// the cabinet, the second is served from the sticky note, and the note carries its own TTL.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(
    'CREATE TABLE products (sku text PRIMARY KEY, title text NOT NULL, price_cents integer NOT NULL)',
  );
  await db.query(
    "INSERT INTO products VALUES ('tea-01', 'Oolong, 100 g', 1250)",
  );
  let queries = 0;
  try {
    // #region read
    async function productBySku(sku: string) {
      const key = `product:${sku}`;
      const note = await cache.get(key);
      if (note !== null)
        return { from: 'Redis', product: JSON.parse(note) };
      queries += 1;
      const { rows } = await db.query(
        'SELECT sku, title, price_cents FROM products WHERE sku = $1',
        [sku],
      );
      const product = rows[0] ?? null;
      if (product)
        await cache.set(key, JSON.stringify(product), {
          expiration: { type: 'EX', value: 600 },
        });
      return { from: 'Postgres', product };
    }
    // #endregion read
    const first = await productBySku('tea-01');
    const second = await productBySku('tea-01');
    console.log(
      `first read:  ${first.from}, ${first.product.title}`,
    );
    console.log(
      `second read: ${second.from}, ${second.product.title}`,
    );
    console.log(`SQL queries: ${queries}`);
    console.log(
      `TTL of product:tea-01: ${await cache.ttl('product:tea-01')} s`,
    );
  } finally {
    await db.query('DROP TABLE products');
    await cache.del('product:tea-01');
  }
}) satisfies Example;

// Output:
// first read:  Postgres, Oolong, 100 g
// second read: Redis, Oolong, 100 g
// SQL queries: 1
// TTL of product:tea-01: 600 s
