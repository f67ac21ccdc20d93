// Lesson 09 · WHERE id = ANY($1) answers with the rows that match,
// in an order of its own and once each: not in the order asked, not
// once per repeat, and nothing at all for an id it does not hold.
// The code puts the answers back in the order it asked.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE books (id integer PRIMARY KEY,
    title text NOT NULL)`);
  await db.query(`INSERT INTO books VALUES
    (1, 'Dune'), (2, 'Emma'), (3, 'Ulysses'), (4, 'Beloved')`);
  try {
    // #region order
    const asked = [4, 1, 4, 99, 2];
    const { rows } = await db.query(
      'SELECT id, title FROM books WHERE id = ANY($1)',
      [asked],
    );
    console.log(
      `asked for ${asked.length} ids, got ${rows.length} rows`,
    );
    console.log(`rows came back as ids ${rows.map((r) => r.id)}`);

    // back in the order asked: one answer per id, null if none
    const byId = new Map(rows.map((row) => [row.id, row.title]));
    const answers = asked.map((id) => byId.get(id) ?? null);
    console.log(`in the order asked: ${JSON.stringify(answers)}`);
    // #endregion order
  } finally {
    await db.query('DROP TABLE books');
  }
}) satisfies Example;

// Output:
// asked for 5 ids, got 3 rows
// rows came back as ids 1,2,4
// in the order asked: ["Beloved","Dune","Beloved",null,"Emma"]
