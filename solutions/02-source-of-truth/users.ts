// Exercise 02 — Users in the filing cabinet. Reference solution.
import type pg from 'pg';
import type { User } from '../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  // Values travel as parameters ($1, $2), apart from the statement:
  // a name like "Robert'); DROP TABLE users;--" is stored as the
  // text it is.
  const { rows } = await db.query<User>(
    `INSERT INTO users (name, email) VALUES ($1, $2)
      RETURNING id, name, email`,
    [user.name, user.email],
  );
  // INSERT … RETURNING always yields the one row, or throws
  // (duplicate email)
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
