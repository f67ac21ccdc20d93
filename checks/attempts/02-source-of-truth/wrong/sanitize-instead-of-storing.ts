// wrong: "A name such as Robert'); DROP TABLE users;-- is stored exactly as written" → must fail: stores hostile strings literally: values travel as parameters, never in the SQL text
// Parameterized, and "sanitizes" the input on top: quotes, semicolons
// and comment dashes are stripped before the insert.
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

function sanitize(value: string): string {
  return value.replace(/['";]|--/g, '').trim();
}

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  const { rows } = await db.query<User>(
    `INSERT INTO users (name, email) VALUES ($1, $2)
      RETURNING id, name, email`,
    [sanitize(user.name), sanitize(user.email)],
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
