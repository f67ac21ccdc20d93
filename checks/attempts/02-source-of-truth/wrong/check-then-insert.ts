// wrong: "A second user with an email already taken is refused: createUser rejects" → must fail: rejects a second user with the same email, keeping the first
// Looks the email up first and hands back the user already there:
// the caller never learns the email was taken.
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
  const existing = await db.query<User>(
    'SELECT id, name, email FROM users WHERE email = $1',
    [user.email],
  );
  if (existing.rows[0]) return existing.rows[0];
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
  return rows[0] ?? null;
}
