// wrong: "findUser(db, id) returns that row, or null when no user has that id." → must fail: finds a user by id with a parameterized query
// No check title covers a repeat: a check should find a user, change or delete the row in Postgres, and find it again.
// Every answer of findUser is remembered in a module-level Map, null included: the second
// lookup of an id never reaches Postgres, so a user created, renamed or deleted since is
// answered as it was.
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

export async function createUser(
  db: pg.Pool,
  { name, email }: NewUser,
): Promise<User> {
  const { rows } = await db.query<User>(
    'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id, name, email',
    [name, email],
  );
  return rows[0]!;
}

const seen = new Map<number, User | null>();

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  if (seen.has(id)) return seen.get(id) ?? null;
  const { rows } = await db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;
  seen.set(id, user);
  return user;
}
