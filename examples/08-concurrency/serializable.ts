// Lesson 08 · Write skew: two bakers each check that someone else is
// on call tonight, and each signs off. They change different rows,
// so no row lock stops them, and Repeatable Read lets both commit.
// Serializable notices that no one-at-a-time order explains what
// the two read and wrote, and fails one of them with 40001.
import pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE night_shift (baker text PRIMARY KEY,
    on_call boolean NOT NULL)`);
  const [ana, noor] = [await db.connect(), await db.connect()];
  try {
    // #region skew
    const count =
      'SELECT count(*)::int AS n FROM night_shift WHERE on_call';
    const signOff = `UPDATE night_shift SET on_call = false
      WHERE baker = $1`;
    for (const level of ['REPEATABLE READ', 'SERIALIZABLE']) {
      await db.query('DELETE FROM night_shift');
      await db.query(
        "INSERT INTO night_shift VALUES ('Ana', true), ('Noor', true)",
      );
      const steps: [pg.PoolClient, string][] = [
        [ana, 'Ana'],
        [noor, 'Noor'],
      ];
      for (const [baker] of steps) {
        await baker.query(`BEGIN ISOLATION LEVEL ${level}`);
      }
      for (const [baker, name] of steps) {
        const { n } = (await baker.query(count)).rows[0];
        if (n >= 2) await baker.query(signOff, [name]); // "not the last"
      }
      const outcomes = [];
      for (const [baker, name] of steps) {
        try {
          await baker.query('COMMIT');
          outcomes.push(`${name} committed`);
        } catch (error) {
          if (!(error instanceof pg.DatabaseError)) throw error;
          outcomes.push(`${name}'s COMMIT failed: ${error.code}`);
          await baker.query('ROLLBACK');
        }
      }
      const { n } = (await db.query(count)).rows[0];
      console.log(`${level}: ${outcomes.join(', ')}`);
      console.log(`  on call tonight: ${n}`);
    }
    // #endregion skew
  } finally {
    ana.release();
    noor.release();
    await db.query('DROP TABLE night_shift');
  }
}) satisfies Example;

// Output:
// REPEATABLE READ: Ana committed, Noor committed
//   on call tonight: 0
// SERIALIZABLE: Ana committed, Noor's COMMIT failed: 40001
//   on call tonight: 1
