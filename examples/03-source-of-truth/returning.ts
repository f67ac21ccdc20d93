// Lesson 03 · RETURNING hands back the row a statement wrote, with
// what Postgres filled in (the generated id, a default), in the
// same round trip. A statement that touched no row returns an empty
// `rows`.
import type { Example } from '../../lib/example.ts';

interface Loan {
  id: number;
  isbn: string;
  reader: string;
  status: string;
}

export default (async ({ db }) => {
  await db.query(`CREATE TABLE loans (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    isbn text NOT NULL,
    reader text NOT NULL,
    status text NOT NULL DEFAULT 'on loan')`);
  try {
    // #region insert
    async function lend(isbn: string, reader: string) {
      const { rows } = await db.query<Loan>(
        `INSERT INTO loans (isbn, reader) VALUES ($1, $2)
          RETURNING id, isbn, reader, status`,
        [isbn, reader],
      );
      return rows[0]!; // INSERT … RETURNING: its row, or it throws
    }
    const first = await lend('978-0141439518', 'Ines');
    const { id, reader, status } = first;
    console.log(`returned: id ${id}, ${reader}, status ${status}`);

    // Three at once: each caller gets back the row it wrote itself.
    const readers = ['Kofi', 'Mara', 'Teo'];
    const loans = await Promise.all(
      readers.map((reader) => lend('978-0199535569', reader)),
    );
    const own = loans.every(
      (loan, i) => loan.reader === readers[i],
    );
    console.log(`each caller got its own row: ${own}`);
    // #endregion insert

    // #region update
    async function giveBack(id: number): Promise<Loan | null> {
      const { rows } = await db.query<Loan>(
        `UPDATE loans SET status = 'returned' WHERE id = $1
          RETURNING id, isbn, reader, status`,
        [id],
      );
      return rows[0] ?? null; // no such loan: no row, and no error
    }
    console.log(
      `give back loan 1:  ${(await giveBack(1))?.status}`,
    );
    console.log(`give back loan 99: ${await giveBack(99)}`);
    // #endregion update
  } finally {
    await db.query('DROP TABLE loans');
  }
}) satisfies Example;

// Output:
// returned: id 1, Ines, status on loan
// each caller got its own row: true
// give back loan 1:  returned
// give back loan 99: null
