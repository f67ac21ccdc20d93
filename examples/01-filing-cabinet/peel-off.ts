// Lesson 01 · The same order in both stores: a row filed in
// Postgres, and a note on it in Redis with a one-second TTL. A
// moment later the note has peeled off by itself; the row is
// still in the cabinet.
import type { Example } from '../../lib/example.ts';

export default (async ({ db, cache }) => {
  await db.query(`CREATE TABLE orders
    (id integer PRIMARY KEY, item text NOT NULL)`);
  try {
    // #region peel-off
    await db.query(
      "INSERT INTO orders VALUES (1001, 'Oolong, 100 g')",
    );
    await cache.set('order:1001', 'Oolong, 100 g', {
      expiration: { type: 'EX', value: 1 }, // a TTL of 1 s
    });

    const look = async (when: string) => {
      const { rows } = await db.query(
        'SELECT item FROM orders WHERE id = 1001',
      );
      const note = await cache.get('order:1001');
      console.log(when);
      console.log(`  Postgres, order 1001: ${rows[0]?.item}`);
      console.log(`  Redis, order:1001:    ${note}`);
    };

    await look('just written');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await look('1.1 s later');
    // #endregion peel-off
  } finally {
    await db.query('DROP TABLE orders');
    await cache.del('order:1001');
  }
}) satisfies Example;

// Output:
// just written
//   Postgres, order 1001: Oolong, 100 g
//   Redis, order:1001:    Oolong, 100 g
// 1.1 s later
//   Postgres, order 1001: Oolong, 100 g
//   Redis, order:1001:    null
