// Lesson 05 · The race that updating first does not close: a reader
// that read the old row before the UPDATE, and writes it back after
// the DEL. Rare, as the reader must be slower than a whole write;
// the TTL is what ends it.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE products (sku text PRIMARY KEY,
    title text NOT NULL, price_cents integer NOT NULL)`);
  await db.query(
    "INSERT INTO products VALUES ('tea-01', 'Oolong, 100 g', 1250)",
  );
  const key = 'product:tea-01';
  const log = (who: string, what: string) =>
    console.log(`${who.padEnd(7)}${what}`);
  try {
    // #region slow-reader
    log('reader', `GET: ${await cache.get(key)}, a miss`);
    const { rows } = await db.query(
      'SELECT sku, title, price_cents FROM products',
    );
    log('reader', `SELECT: ${rows[0].price_cents}, then dawdles…`);
    await db.query('UPDATE products SET price_cents = 1400');
    log('writer', 'UPDATE to 1400, committed');
    log('writer', `DEL: ${await cache.del(key)} keys removed`);
    await cache.set(key, JSON.stringify(rows[0]), {
      expiration: { type: 'EX', value: 600 },
    });
    log('reader', `SET the row it read, ${rows[0].price_cents}`);
    const note = JSON.parse((await cache.get(key))!);
    const ttl = await cache.ttl(key);
    log(
      'then',
      `Redis ${note.price_cents} until the TTL ends: ${ttl} s`,
    );
    // #endregion slow-reader
  } finally {
    await db.query('DROP TABLE products');
    await cache.del(key);
  }
}) satisfies Example;

// Output:
// reader GET: null, a miss
// reader SELECT: 1250, then dawdles…
// writer UPDATE to 1400, committed
// writer DEL: 0 keys removed
// reader SET the row it read, 1250
// then   Redis 1250 until the TTL ends: 600 s
