// Lesson 09 · The N+1 query on a library's loans: one query for the
// list, then one trip to the cabinet per loan for its book, against
// one trip with the whole list of book ids (WHERE id = ANY($1)).
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE books (id integer PRIMARY KEY,
    title text NOT NULL)`);
  await db.query(`CREATE TABLE loans (id integer PRIMARY KEY,
    book_id integer NOT NULL REFERENCES books)`);
  await db.query(`INSERT INTO books
    SELECT n, 'Book ' || n FROM generate_series(1, 40) AS n`);
  await db.query(`INSERT INTO loans
    SELECT n, 41 - n FROM generate_series(1, 25) AS n`);
  let queries = 0;
  const query = (text: string, values?: unknown[]) => {
    queries += 1;
    return db.query(text, values);
  };
  try {
    // #region n-plus-one
    const { rows: loans } = await query(
      'SELECT id, book_id FROM loans ORDER BY id',
    );
    const titles: string[] = [];
    for (const loan of loans) {
      const { rows } = await query(
        'SELECT title FROM books WHERE id = $1',
        [loan.book_id],
      );
      titles.push(rows[0].title);
    }
    console.log(`one trip per loan: ${queries} queries`);
    // #endregion n-plus-one
    const oneByOne = titles;

    queries = 0;
    // #region any
    const { rows: again } = await query(
      'SELECT id, book_id FROM loans ORDER BY id',
    );
    const { rows: books } = await query(
      'SELECT id, title FROM books WHERE id = ANY($1)',
      [again.map((loan) => loan.book_id)], // one parameter: an array
    );
    const titleOf = new Map(books.map((b) => [b.id, b.title]));
    const batched = again.map((loan) => titleOf.get(loan.book_id));
    console.log(`one trip with a list: ${queries} queries`);
    // #endregion any
    console.log(
      `${loans.length} loans, the same titles: ${
        JSON.stringify(batched) === JSON.stringify(oneByOne)
      }`,
    );
  } finally {
    await db.query('DROP TABLE loans, books');
  }
}) satisfies Example;

// Output:
// one trip per loan: 26 queries
// one trip with a list: 2 queries
// 25 loans, the same titles: true
