import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { addUser, describeSql, userRow } from './harness/observe.ts';
import type { User } from '../lib/stores.ts';
import { call, demand, errorText, errorWith, rejects, settle, show } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';

type Module = typeof import('../solutions/02-source-of-truth/users.ts');

const course = useCourse('02');
const { createUser, findUser } = await course.load<Module>();

async function lockWaiters(): Promise<number> {
  const { rows } = await course.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0]?.n ?? 0;
}

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
    // An id no statement would contain by chance, so where it travelled (text or parameter) is plain to see.
    await course.db.query('ALTER TABLE users ALTER COLUMN id RESTART WITH 48213');
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await addUser(course, 'Alan Turing', 'alan@example.com');
    const { db } = await course.stores();
    const found = await call(`findUser(db, ${ada.id})`, () => findUser(db, ada.id));
    demand(isDeepStrictEqual(found, ada), `the row ${show(ada)}`, show(found));
    const id = String(ada.id);
    const glued = course.sql.filter((q) => q.text.includes(id));
    const passed = course.sql.filter((q) => q.values.some((v) => String(v).includes(id)));
    demand(
      glued.length === 0 && passed.length > 0,
      `the id passed as a parameter ($1, with [${id}] as values), not written into the SQL text`,
      describeSql(course.sql),
    );
  });

  it('returns each caller its own row when eight users are created at once', async () => {
    // The check holds a lock that every INSERT waits for, then lets them all through together, and each INSERT
    // pauses before it commits: all eight rows exist before any caller could read one back with a second query.
    await course.db.query(`CREATE FUNCTION pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$;
      CREATE TRIGGER pause AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION pause();`);
    const holder = await course.db.connect();
    try {
      const { db } = await course.stores({ pool: { max: 8 } });
      const people = Array.from({ length: 8 }, (_, i) => ({
        name: `Signup ${i + 1}`,
        email: `signup${i + 1}@example.com`,
      }));
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN SHARE MODE');
      let settled = false;
      const running = Promise.all(
        people.map((p) => settle(`createUser(db, ${show(p)}) with seven others at once`, () => createUser(db, p))),
      ).finally(() => (settled = true));
      await waitUntil(async () => settled || (await lockWaiters()) >= people.length, 3000);
      await holder.query('COMMIT');
      const outcomes = await running;
      const failed = outcomes.find((o) => !o.ok);
      demand(!failed, 'all eight createUser calls to succeed', () =>
        failed && !failed.ok ? errorText(failed.error) : '',
      );
      const stored = (await course.db.query<User>('SELECT id, name, email FROM users ORDER BY id')).rows;
      const wrong = outcomes.flatMap((o, i) =>
        o.ok && stored.some((row) => isDeepStrictEqual(row, o.value) && row.email === people[i]!.email)
          ? []
          : [`${people[i]!.email} got ${show(o.ok ? o.value : undefined)}`],
      );
      demand(
        wrong.length === 0,
        'each createUser call to return the row it inserted (INSERT … RETURNING gives it back in the same statement)',
        `${wrong.length} of 8 calls returned another row: ${wrong.slice(0, 3).join('; ')}${wrong.length > 3 ? '; …' : ''}`,
      );
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
      await course.db.query('DROP TRIGGER IF EXISTS pause ON users; DROP FUNCTION IF EXISTS pause();');
    }
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
