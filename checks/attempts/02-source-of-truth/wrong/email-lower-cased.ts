// wrong: "createUser(db, { name, email }) inserts a row into users and returns the stored { id, name, email }" → must fail: creates a user and returns the stored row
// Emails are lower-cased and trimmed before the insert, "so Ada@Example.com and
// ada@example.com are one user": the row stored and returned is not the email given, and
// nothing in the README asked for that.
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
    [name, email.trim().toLowerCase()],
  );
  return rows[0]!;
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const { rows } = await db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}
