// wrong: "An unknown id gives null, not an error." → must fail: returns null for an unknown id
// Treats "not found" as a failure and throws.
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
  const { rows, rowCount } = await db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  if (rowCount === 0) throw new Error(`user ${id} not found`);
  return rows[0] ?? null;
}
