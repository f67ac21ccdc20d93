// Lesson 03 · Values travel as parameters ($1, $2), apart from the
// SQL text. Glued into the text, a value rewrites the query; passed
// as a parameter, even a title holding a DROP TABLE is only a
// title.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE books (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    isbn text NOT NULL UNIQUE,
    title text NOT NULL)`);
  try {
    await db.query(
      'INSERT INTO books (isbn, title) VALUES ($1, $2), ($3, $4)',
      ['978-0141439518', 'Emma', '978-0199535569', 'Persuasion'],
    );
    // #region glued
    const search = "x' OR '1'='1"; // what a visitor typed
    const glued = await db.query(
      `SELECT title FROM books WHERE title = '${search}'`, // wrong!
    );
    console.log(`glued into the text: ${glued.rowCount} rows`);
    // #endregion glued

    // #region parameter
    const asParameter = await db.query(
      'SELECT title FROM books WHERE title = $1',
      [search],
    );
    console.log(
      `as a parameter:      ${asParameter.rowCount} rows`,
    );

    const title = "Bobby'); DROP TABLE books;--";
    await db.query(
      'INSERT INTO books (isbn, title) VALUES ($1, $2)',
      ['978-0000000000', title],
    );
    const { rows } = await db.query(
      'SELECT title FROM books WHERE isbn = $1',
      ['978-0000000000'],
    );
    console.log(`stored: ${rows[0]?.title}`);
    const count = await db.query(
      'SELECT count(*)::int AS n FROM books',
    );
    console.log(`books in the table: ${count.rows[0]?.n}`);
    // #endregion parameter
  } finally {
    await db.query('DROP TABLE IF EXISTS books');
  }
}) satisfies Example;

// Output:
// glued into the text: 2 rows
// as a parameter:      0 rows
// stored: Bobby'); DROP TABLE books;--
// books in the table: 3
