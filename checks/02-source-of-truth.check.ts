import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { addUser, describeSql, userRow } from './harness/observe.ts';
import { call, demand, errorWith, rejects, show } from './harness/teach.ts';

type Module = typeof import('../solutions/02-source-of-truth/users.ts');

const course = useCourse('02');
const { createUser, findUser } = await course.load<Module>();

async function userCount(): Promise<number> {
  const { rows } = await course.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]!.n;
}

describe('02 · Postgres, the source of truth', () => {
  it('creates a user and returns the stored row', async () => {
    const { db } = await course.stores();
    const created = await call("createUser(db, { name: 'Grace Hopper', email: 'grace@example.com' })", () =>
      createUser(db, { name: 'Grace Hopper', email: 'grace@example.com' }),
    );
    const stored = created && typeof created.id === 'number' ? await userRow(course, created.id) : null;
    demand(
      stored && isDeepStrictEqual(created, stored),
      'createUser to return the row as stored, { id, name, email }, with the id Postgres made (INSERT … RETURNING)',
      `returned ${show(created)}; the table holds ${show((await course.db.query('SELECT * FROM users')).rows)}`,
    );
  });

  it('stores hostile strings literally: values travel as parameters, never in the SQL text', async () => {
    const { db } = await course.stores();
    const name = "Robert'); DROP TABLE users;--";
    const email = "o'hara+\\x@example.com";
    const created = await call('createUser(db, { name: "Robert\'); DROP TABLE users;--", … })', () =>
      createUser(db, { name, email }),
    );
    const table = await course.db.query<{ exists: boolean }>("SELECT to_regclass('users') IS NOT NULL AS exists");
    demand(table.rows[0]?.exists, 'the users table to survive a hostile name', 'the users table is gone');
    const stored = await userRow(course, created.id);
    demand(
      stored?.name === name && stored?.email === email,
      'the name and email stored exactly as given',
      `stored ${show(stored)}`,
    );
    const glued = course.sql.filter(
      (s) => s.text.includes('DROP TABLE') || s.text.includes("o'hara") || s.text.includes("o''hara"),
    );
    demand(
      glued.length === 0,
      'the values passed as parameters ($1, $2), apart from the SQL text',
      `the values were written into the SQL text itself:\n${describeSql(glued)}`,
    );
  });

  it('finds a user by id with a parameterized query', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await addUser(course, 'Alan Turing', 'alan@example.com');
    const { db } = await course.stores();
    const found = await call(`findUser(db, ${ada.id})`, () => findUser(db, ada.id));
    demand(isDeepStrictEqual(found, ada), `the row ${show(ada)}`, show(found));
    const withId = course.sql.filter((s) => s.values.some((v) => v === ada.id || v === String(ada.id)));
    demand(withId.length > 0, 'the id passed as a parameter ($1)', describeSql(course.sql));
  });

  it('returns null for an unknown id', async () => {
    await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { db } = await course.stores();
    const found = await call('findUser(db, 999)', () => findUser(db, 999));
    demand(found === null, 'null when no user has that id (an empty result is not an error)', show(found));
  });

  it('rejects a second user with the same email, keeping the first', async () => {
    const first = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { db } = await course.stores();
    await rejects(
      "createUser(db, { name: 'Another Ada', email: 'ada@example.com' })",
      'the email is already taken (the UNIQUE constraint refuses it)',
      () => createUser(db, { name: 'Another Ada', email: 'ada@example.com' }),
      errorWith(/duplicate key|unique/i, "Postgres's unique-violation error, passed on"),
    );
    const count = await userCount();
    const kept = await userRow(course, first.id);
    demand(
      count === 1 && isDeepStrictEqual(kept, first),
      'exactly the first user in the table',
      `${count} users; first is ${show(kept)}`,
    );
  });
});
