// Lesson 08 · An idempotency key: the order id is a primary key, and
// INSERT … ON CONFLICT DO NOTHING RETURNING hands back a row only
// when this call inserted it. A till that sends "stamp order o-17"
// twice, or two tills at once, stamp the loyalty card once.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE cards (customer text PRIMARY KEY,
    stamps integer NOT NULL)`);
  await db.query(`CREATE TABLE stamped (order_id text PRIMARY KEY,
    customer text NOT NULL)`);
  await db.query(
    "INSERT INTO cards VALUES ('Ines', 0), ('Kofi', 0)",
  );
  const card = async (customer: string) =>
    (
      await db.query(
        'SELECT stamps FROM cards WHERE customer = $1',
        [customer],
      )
    ).rows[0].stamps;
  try {
    // #region no-key
    // The till timed out waiting for the answer, and sent it again:
    const add =
      "UPDATE cards SET stamps = stamps + 1 WHERE customer = 'Kofi'";
    await db.query(add);
    await db.query(add);
    console.log(
      `no key, sent twice: Kofi has ${await card('Kofi')}`,
    );
    // #endregion no-key

    // #region keyed
    // One statement: the claim and the stamp commit together.
    async function stamp(orderId: string, customer: string) {
      const { rowCount } = await db.query(
        `WITH claim AS (
           INSERT INTO stamped (order_id, customer) VALUES ($1, $2)
           ON CONFLICT (order_id) DO NOTHING
           RETURNING customer)
         UPDATE cards SET stamps = stamps + 1
          WHERE customer = (SELECT customer FROM claim)`,
        [orderId, customer],
      );
      return rowCount === 1 ? 'stamped' : 'already stamped';
    }
    console.log(`o-17: ${await stamp('o-17', 'Ines')}`);
    console.log(`o-17 again: ${await stamp('o-17', 'Ines')}`);
    console.log(`Ines has ${await card('Ines')} stamp`);

    const atOnce = await Promise.all([
      stamp('o-18', 'Ines'),
      stamp('o-18', 'Ines'),
    ]);
    console.log(`o-18 from two tills: ${atOnce.sort().join(', ')}`);
    console.log(`Ines has ${await card('Ines')} stamps`);
    // #endregion keyed
  } finally {
    await db.query('DROP TABLE cards, stamped');
  }
}) satisfies Example;

// Output:
// no key, sent twice: Kofi has 2
// o-17: stamped
// o-17 again: already stamped
// Ines has 1 stamp
// o-18 from two tills: already stamped, stamped
// Ines has 2 stamps
