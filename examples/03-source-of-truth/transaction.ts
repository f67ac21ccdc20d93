// Lesson 03 · A transaction on one client: BEGIN, the statements
// and COMMIT through the same connection, ROLLBACK on any error,
// release() in finally. A move that fails half-way leaves nothing
// changed; without the transaction, the same failure loses the
// boxes.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE shelves (
    id text PRIMARY KEY,
    boxes integer NOT NULL,
    capacity integer NOT NULL,
    CONSTRAINT fits CHECK (boxes <= capacity))`);
  await db.query(`CREATE TABLE moves (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_shelf text NOT NULL, to_shelf text NOT NULL,
    boxes integer NOT NULL)`);
  await db.query(
    "INSERT INTO shelves VALUES ('A-1', 40, 60), ('B-2', 40, 50)",
  );
  const shelves = async () => {
    const { rows } = await db.query(
      'SELECT id, boxes FROM shelves ORDER BY id',
    );
    const moves = await db.query(
      'SELECT count(*)::int AS n FROM moves',
    );
    const where = rows.map((r) => `${r.id} ${r.boxes}`).join(', ');
    return `${where}; moves recorded: ${moves.rows[0]?.n}`;
  };
  try {
    // #region transaction
    async function moveBoxes(
      from: string,
      to: string,
      boxes: number,
    ) {
      const client = await db.connect(); // one connection for all
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query(
          'UPDATE shelves SET boxes = boxes - $2 WHERE id = $1',
          [from, boxes],
        );
        await client.query(
          'UPDATE shelves SET boxes = boxes + $2 WHERE id = $1',
          [to, boxes],
        );
        await client.query(
          `INSERT INTO moves (from_shelf, to_shelf, boxes)
            VALUES ($1, $2, $3)`,
          [from, to, boxes],
        );
        await client.query('COMMIT');
      } catch (error) {
        // Undo everything since BEGIN. If even ROLLBACK fails, the
        // connection is in a state nobody knows: keep the reason.
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: Error) => rollbackError,
        );
        throw error;
      } finally {
        // Always give the client back. With an error, the pool
        // closes that connection instead of lending it out again.
        client.release(broken);
      }
    }
    // #endregion transaction

    // #region run
    await moveBoxes('A-1', 'B-2', 5);
    console.log(`moved 5:   ${await shelves()}`);
    await moveBoxes('A-1', 'B-2', 10).catch((error) =>
      console.log(
        `move 10 failed: ${error.code}, ${error.constraint}`,
      ),
    );
    console.log(`after it:  ${await shelves()}`);
    // #endregion run

    // #region without
    // The same failing move, one pool.query at a time (autocommit):
    await db.query(
      "UPDATE shelves SET boxes = boxes - 10 WHERE id = 'A-1'",
    );
    await db
      .query(
        "UPDATE shelves SET boxes = boxes + 10 WHERE id = 'B-2'",
      )
      .catch((error) => console.log(`failed again: ${error.code}`));
    console.log(`no transaction: ${await shelves()}`);
    // #endregion without
  } finally {
    await db.query('DROP TABLE shelves, moves');
  }
}) satisfies Example;

// Output:
// moved 5:   A-1 35, B-2 45; moves recorded: 1
// move 10 failed: 23514, fits
// after it:  A-1 35, B-2 45; moves recorded: 1
// failed again: 23514
// no transaction: A-1 25, B-2 45; moves recorded: 1
