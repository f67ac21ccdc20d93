// Lesson 05 · "Postgres holds the new row" means committed. Inside
// a transaction, other sessions still read the old row until
// COMMIT, so a DEL sent before COMMIT opens the same window as
// deleting first.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE products (sku text PRIMARY KEY,
    title text NOT NULL, price_cents integer NOT NULL)`);
  await db.query(
    "INSERT INTO products VALUES ('tea-01', 'Oolong, 100 g', 1250)",
  );
  const key = 'product:tea-01';
  const othersSee = async () =>
    (await db.query('SELECT price_cents FROM products')).rows[0]
      .price_cents;
  const client = await db.connect();
  try {
    // #region before-commit
    await client.query('BEGIN');
    await client.query('UPDATE products SET price_cents = 1400');
    await cache.del(key); // too early: nothing is committed yet
    const seen = await othersSee(); // a reader that missed reads…
    await cache.set(key, JSON.stringify({ price_cents: seen }), {
      expiration: { type: 'EX', value: 600 }, // …and caches 1250
    });
    await client.query('COMMIT');
    console.log(`before COMMIT, other sessions read ${seen}`);
    console.log(`after COMMIT, they read ${await othersSee()}`);
    const note = JSON.parse((await cache.get(key)) ?? 'null');
    console.log(`the note: ${note.price_cents}, for 600 s`);
    // #endregion before-commit
  } finally {
    client.release();
    await db.query('DROP TABLE products');
    await cache.del(key);
  }
}) satisfies Example;

// Output:
// before COMMIT, other sessions read 1250
// after COMMIT, they read 1400
// the note: 1250, for 600 s
