// Lesson 03 · A UNIQUE constraint polices every writer, at once. A
// duplicate rejects with SQLSTATE 23505 (unique_violation), naming
// the constraint; the first row stays as it was.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE books (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    isbn text NOT NULL UNIQUE,
    title text NOT NULL)`);
  const add = (isbn: string, title: string) =>
    db.query('INSERT INTO books (isbn, title) VALUES ($1, $2)', [
      isbn,
      title,
    ]);
  try {
    // #region duplicate
    await add('978-0141439518', 'Emma');
    try {
      await add('978-0141439518', 'Emma, a second copy');
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) throw error;
      console.log(`code:       ${error.code}`); // 23505
      console.log(`constraint: ${error.constraint}`);
      console.log(`detail:     ${error.detail}`);
    }
    // #endregion duplicate

    // #region at-once
    // Two writers with the same new ISBN at the same moment: no
    // "check first" in TypeScript, the constraint decides.
    const outcomes = await Promise.allSettled([
      add('978-0199535569', 'Persuasion'),
      add('978-0199535569', 'Persuasion (again)'),
    ]);
    const refused = outcomes.flatMap((o) =>
      o.status === 'rejected'
        ? [(o.reason as pg.DatabaseError).code]
        : [],
    );
    console.log(`stored: ${outcomes.length - refused.length}`);
    console.log(`refused: ${refused.join(', ')}`);
    const { rows } = await db.query(
      'SELECT isbn, title FROM books WHERE isbn = $1',
      ['978-0141439518'],
    );
    console.log(`first Emma kept: ${rows[0]?.title}`);
    // #endregion at-once
  } finally {
    await db.query('DROP TABLE books');
  }
}) satisfies Example;

// Output:
// code:       23505
// constraint: books_isbn_key
// detail:     Key (isbn)=(978-0141439518) already exists.
// stored: 1
// refused: 23505
// first Emma kept: Emma
