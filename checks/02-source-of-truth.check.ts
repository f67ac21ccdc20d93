import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { addUser, describeSql, userRow } from './harness/observe.ts';
import type { User } from '../lib/stores.ts';
import { call, demand, errorText, errorWith, rejects, settle, show } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';
import { urlThrough } from './harness/local-listen.ts';
import { closedPort } from './harness/proxy.ts';

type Module = typeof import('../solutions/02-source-of-truth/users.ts');

const course = useCourse('02');
const { createUser, findUser } = await course.load<Module>();

/** Statements that only begin or end a transaction: they read and store nothing. */
const TRANSACTION_CONTROL = /^\s*(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

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
    // Mixed case and letters beyond ASCII: stored and returned exactly as given, nothing "normalised".
    const given = { name: 'Zoë Ångström-Núñez', email: 'Zoe.Angstrom+Lab@Example.COM' };
    const created = await call(`createUser(db, ${show(given)})`, () => createUser(db, given));
    const stored = created && typeof created.id === 'number' ? await userRow(course, created.id) : null;
    demand(
      stored && isDeepStrictEqual(created, stored),
      'createUser to return the row as stored, { id, name, email }, with the id Postgres made (INSERT … RETURNING)',
      `returned ${show(created)}; the table holds ${show((await course.db.query('SELECT * FROM users')).rows)}`,
    );
    demand(
      stored.name === given.name && stored.email === given.email,
      'the name and email stored exactly as given: the table keeps what the caller wrote (no lower-casing, no trimming)',
      `given ${show(given)}; stored ${show({ name: stored.name, email: stored.email })}`,
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
    const first = await course.stores();
    const found = await call(`findUser(db, ${ada.id})`, () => findUser(first.db, ada.id));
    demand(isDeepStrictEqual(found, ada), `the row ${show(ada)}`, show(found));
    const id = String(ada.id);
    const glued = course.sql.filter((q) => q.text.includes(id));
    const passed = course.sql.filter((q) => q.values.some((v) => String(v).includes(id)));
    demand(
      glued.length === 0 && passed.length > 0,
      `the id passed as a parameter ($1, with [${id}] as values), not written into the SQL text`,
      describeSql(course.sql),
    );
    // Postgres is the source of truth: a row changed since is found as it is now, through the pool passed now.
    await first.close();
    const renamed = (
      await course.db.query<User>("UPDATE users SET name = 'Ada King' WHERE id = $1 RETURNING id, name, email", [
        ada.id,
      ])
    ).rows[0]!;
    const { db } = await course.stores();
    const again = await call(`findUser(otherDb, ${ada.id}) with another pool, once the first has been ended`, () =>
      findUser(db, ada.id),
    );
    demand(
      isDeepStrictEqual(again, renamed),
      `the row as the table holds it now, ${show(renamed)}, read through the pool given to this call: every call asks Postgres, ` +
        'nothing kept from an earlier call (no answers remembered, no client held on to)',
      show(again),
    );
    await course.db.query('DELETE FROM users WHERE id = $1', [ada.id]);
    const gone = await call(`findUser(db, ${ada.id}) once the row is deleted`, () => findUser(db, ada.id));
    demand(gone === null, 'null once the row is gone: the table, not an earlier answer, says who exists', show(gone));
  });

  it('returns each caller its own row when eight users are created at once', async () => {
    // The check holds a lock that every INSERT waits for, then lets them all through together, and each INSERT
    // pauses before it commits: all eight rows exist before any caller could read one back with a second query.
    // The pool holds fewer connections than there are callers, so a second query of a call may run on a
    // connection that has since inserted another user (where lastval() or currval() is that user's id).
    await course.db.query(`CREATE FUNCTION pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$;
      CREATE TRIGGER pause AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION pause();`);
    const holder = await course.db.connect();
    try {
      const { db } = await course.stores({ pool: { max: 3 } });
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
      await waitUntil(async () => settled || (await lockWaiters()) >= 3, 3000);
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
      const work = course.sql.filter((q) => !TRANSACTION_CONTROL.test(q.text));
      demand(
        work.length === people.length,
        'one statement per createUser call, INSERT … RETURNING: the row comes back from the statement that stored it, ' +
          'not from a second query afterwards',
        `${work.length} statements for ${people.length} calls; ${describeSql(work.filter((q) => !/^\s*INSERT\b/i.test(q.text)))}`,
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
    // And the reverse: a query that fails is not "no such user". Here nothing answers at the pool's address.
    const down = new pg.Pool({
      connectionString: urlThrough(course.databaseUrl, await closedPort()),
      connectionTimeoutMillis: 1000,
    });
    down.on('error', () => {});
    try {
      await rejects(
        'findUser(db, 1) while Postgres is down',
        'only an empty result means "no such user"; an error (here ECONNREFUSED) is passed on, else every user looks deleted while Postgres is down',
        () => findUser(down, 1),
      );
    } finally {
      await down.end().catch(() => {});
    }
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
