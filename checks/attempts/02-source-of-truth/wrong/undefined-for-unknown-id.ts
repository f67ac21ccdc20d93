// wrong: "findUser(db, id) returns that row, or null when no user has that id." → must fail: returns null for an unknown id
// rows[0] with a non-null assertion: an unknown id gives undefined.
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
  const { rows } = await db.query<User>(
    `INSERT INTO users (name, email) VALUES ($1, $2)
      RETURNING id, name, email`,
    [user.name, user.email],
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
  return rows[0]!;
}
