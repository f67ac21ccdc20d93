// Lesson 08 · Retrying 40001 and 40P01: the whole transaction again,
// from BEGIN, on a fresh attempt, a bounded number of times, and no
// other error. The retried attempt reads the world as it is now and
// may decide differently; that is the point.
import type pg from 'pg';
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE night_shift (baker text PRIMARY KEY,
    on_call boolean NOT NULL)`);
  await db.query(
    "INSERT INTO night_shift VALUES ('Ana', true), ('Noor', true)",
  );
  try {
    // #region helper
    // serialization_failure and deadlock_detected: "try it again"
    const RETRY = new Set(['40001', '40P01']);

    async function serializable<T>(
      work: (client: pg.PoolClient, attempt: number) => Promise<T>,
      attempts = 5,
    ): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await db.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          const result = await work(client, attempt);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken = await client.query('ROLLBACK').then(
            () => undefined,
            (rollbackError: Error) => rollbackError,
          );
          const code = (error as { code?: string }).code ?? '';
          if (!RETRY.has(code) || attempt >= attempts) throw error;
        } finally {
          client.release(broken);
        }
      }
    }
    // #endregion helper

    // #region sign-off
    const signOff = (
      name: string,
      meanwhile?: () => Promise<void>,
    ) =>
      serializable(async (client, attempt) => {
        const { rows } = await client.query(
          'SELECT count(*)::int AS n FROM night_shift WHERE on_call',
        );
        console.log(
          `${name}, attempt ${attempt}: ${rows[0].n} on call`,
        );
        if (attempt === 1) await meanwhile?.(); // Ana, in between
        if (rows[0].n < 2) return `${name} stays: the last one`;
        await client.query(
          'UPDATE night_shift SET on_call = false WHERE baker = $1',
          [name],
        );
        return `${name} signs off`;
      });

    console.log(
      await signOff('Noor', async () => {
        console.log(await signOff('Ana'));
      }),
    );
    // #endregion sign-off

    // #region bounded
    let tries = 0;
    await serializable(async (client) => {
      tries++; // a conflict that never clears:
      await client.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict'
        USING ERRCODE = 'serialization_failure'; END $$`);
    }).catch((error) =>
      console.log(`gave up after ${tries} attempts: ${error.code}`),
    );

    tries = 0;
    await serializable(async (client) => {
      tries++; // retrying cannot fix this one
      await client.query('SELECT 1 / 0');
    }).catch((error) =>
      console.log(`${error.code} is not retried: ${tries} attempt`),
    );
    // #endregion bounded
  } finally {
    await db.query('DROP TABLE night_shift');
  }
}) satisfies Example;

// Output:
// Noor, attempt 1: 2 on call
// Ana, attempt 1: 2 on call
// Ana signs off
// Noor, attempt 2: 1 on call
// Noor stays: the last one
// gave up after 5 attempts: 40001
// 22012 is not retried: 1 attempt
