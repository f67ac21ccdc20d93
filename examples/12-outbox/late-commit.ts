// Lesson 12 · Ids are drawn when a row is inserted, not when its
// transaction commits: a lower id can become visible after a higher
// one. A relay that remembers "the last id I sent" never sees it;
// one that asks for rows not yet sent does.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE order_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL, status text NOT NULL,
    sent_at timestamptz)`);
  const slow = await db.connect();
  const ids = async (where: string) =>
    (
      await db.query(
        `SELECT id FROM order_outbox ${where} ORDER BY id`,
      )
    ).rows.map((r) => r.id);
  try {
    // #region late
    await slow.query('BEGIN');
    await slow.query(`INSERT INTO order_outbox (order_id, status)
      VALUES (7, 'paid')`); // draws id 1, commits later
    await db.query(`INSERT INTO order_outbox (order_id, status)
      VALUES (8, 'paid')`); // draws id 2, commits at once
    console.log(
      `visible now: ${await ids('WHERE sent_at IS NULL')}`,
    );
    // A relay sends 2 and marks it; a cursor would remember "2".
    await db.query(
      'UPDATE order_outbox SET sent_at = now() WHERE id = 2',
    );
    const cursor = 2;
    await slow.query('COMMIT');
    console.log(
      `after the late COMMIT, id > ${cursor}: [${await ids(
        `WHERE id > ${cursor}`,
      )}]`,
    );
    console.log(
      `not sent yet: [${await ids('WHERE sent_at IS NULL')}]`,
    );
    // #endregion late
  } finally {
    slow.release();
    await db.query('DROP TABLE order_outbox');
  }
}) satisfies Example;

// Output:
// visible now: 2
// after the late COMMIT, id > 2: []
// not sent yet: [1]
