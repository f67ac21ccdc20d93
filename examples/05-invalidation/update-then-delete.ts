// Lesson 05 · The write path: change the row in Postgres first,
// then delete the one sticky note that copied it. The next read
// misses, reads the fresh row, and leaves a new note.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE products (sku text PRIMARY KEY,
    title text NOT NULL, price_cents integer NOT NULL)`);
  await db.query(
    "INSERT INTO products VALUES ('tea-01', 'Oolong, 100 g', 1250)",
  );
  // The read path of lesson 04, in short.
  const read = async (sku: string) => {
    const note = await cache.get(`product:${sku}`);
    if (note !== null)
      return `Redis, ${JSON.parse(note).price_cents}`;
    const { rows } = await db.query(
      'SELECT sku, title, price_cents FROM products WHERE sku = $1',
      [sku],
    );
    await cache.set(`product:${sku}`, JSON.stringify(rows[0]), {
      expiration: { type: 'EX', value: 600 },
    });
    return `Postgres, ${rows[0].price_cents}`;
  };
  try {
    console.log(`read:   ${await read('tea-01')}`);
    console.log(`read:   ${await read('tea-01')}`);
    // #region write
    // 1. The filing cabinet first. Without BEGIN, the UPDATE
    //    commits on its own before the promise resolves.
    const { rowCount } = await db.query(
      'UPDATE products SET price_cents = $2 WHERE sku = $1',
      ['tea-01', 1400],
    );
    console.log(`UPDATE: ${rowCount} row`);
    // 2. Then peel off the one note that is now wrong, and wait
    //    for Redis to confirm it.
    if (rowCount === 1) {
      const removed = await cache.del('product:tea-01');
      console.log(`DEL:    ${removed} key`);
    }
    // #endregion write
    console.log(`read:   ${await read('tea-01')}`);
    console.log(`read:   ${await read('tea-01')}`);
  } finally {
    await db.query('DROP TABLE products');
    await cache.del('product:tea-01');
  }
}) satisfies Example;

// Output:
// read:   Postgres, 1250
// read:   Redis, 1250
// UPDATE: 1 row
// DEL:    1 key
// read:   Postgres, 1400
// read:   Redis, 1400
