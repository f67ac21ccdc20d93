// wrong: "createUser(db, { name, email }) inserts a row into users and returns the stored { id, name, email } (the id is made by Postgres)." → must fail: creates a user and returns the stored row
// RETURNING only the id, and the rest from the input; the id comes
// back from pg as a string because of the ::text cast used to
// "be safe" with big numbers.
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (name, email) VALUES ($1, $2)
      RETURNING id::text AS id`,
    [user.name, user.email],
  );
  return { id: rows[0]!.id, name: user.name, email: user.email };
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
