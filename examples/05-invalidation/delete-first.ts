// Lesson 05 · Why the DEL comes after the UPDATE. A writer and a
// reader, their steps interleaved by hand so the run is the same
// every time: deleting first lets the reader put the old price back
// for the whole TTL; updating first leaves nothing stale behind.
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
  const setPrice = (cents: number) =>
    db.query('UPDATE products SET price_cents = $1', [cents]);
  const selectRow = async () =>
    (await db.query('SELECT sku, title, price_cents FROM products'))
      .rows[0];
  const fill = (row: unknown) =>
    cache.set(key, JSON.stringify(row), {
      expiration: { type: 'EX', value: 600 },
    });
  const state = async () => {
    const note = await cache.get(key);
    const cached = note === null ? 'no note' : JSON.parse(note);
    return `Postgres ${(await selectRow()).price_cents}, Redis ${
      cached.price_cents ?? cached
    }`;
  };
  try {
    await fill(await selectRow());
    // #region delete-first
    await cache.del(key);
    log('writer', 'DEL: the note is gone');
    const miss = await cache.get(key);
    log('reader', `GET: ${miss}, a miss`);
    const old = await selectRow();
    log('reader', `SELECT: ${old.price_cents}`);
    await setPrice(1400);
    log('writer', 'UPDATE to 1400, committed');
    await fill(old);
    log('reader', `SET the row it read, ${old.price_cents}`);
    log('then', `${await state()}, for ${await cache.ttl(key)} s`);
    // #endregion delete-first

    console.log('');
    await setPrice(1250);
    await fill(await selectRow());
    // #region update-first
    await setPrice(1400);
    log('writer', 'UPDATE to 1400, committed');
    log(
      'reader',
      `GET: ${JSON.parse((await cache.get(key))!).price_cents}`,
    );
    await cache.del(key);
    log('writer', 'DEL: the note is gone');
    const gone = await cache.get(key);
    const fresh = await selectRow();
    log('reader', `GET: ${gone}, SELECT: ${fresh.price_cents}`);
    await fill(fresh);
    log('reader', `SET the row it read, ${fresh.price_cents}`);
    log('then', await state());
    // #endregion update-first
  } finally {
    await db.query('DROP TABLE products');
    await cache.del(key);
  }
}) satisfies Example;

// Output:
// writer DEL: the note is gone
// reader GET: null, a miss
// reader SELECT: 1250
// writer UPDATE to 1400, committed
// reader SET the row it read, 1250
// then   Postgres 1400, Redis 1250, for 600 s
//
// writer UPDATE to 1400, committed
// reader GET: 1250
// writer DEL: the note is gone
// reader GET: null, SELECT: 1400
// reader SET the row it read, 1400
// then   Postgres 1400, Redis 1400
