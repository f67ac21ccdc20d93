// wrong: "Values travel as parameters ($1, $2), never glued into the statement text." → must fail: finds a user by id with a parameterized query
// createUser is parameterized; findUser glues the id in, since "it is
// only a number".
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
    `SELECT id, name, email FROM users WHERE id = ${id}`,
  );
  return rows[0] ?? null;
}
