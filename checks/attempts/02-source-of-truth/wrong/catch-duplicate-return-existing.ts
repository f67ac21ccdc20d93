// wrong: "A second user with an email already taken is refused: createUser rejects (the UNIQUE constraint does the work; let its error through)." → must fail: rejects a second user with the same email, keeping the first
// Catches the unique violation and returns the existing user, to be
// "friendly".
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
  try {
    const { rows } = await db.query<User>(
      `INSERT INTO users (name, email) VALUES ($1, $2)
        RETURNING id, name, email`,
      [user.name, user.email],
    );
    return rows[0]!;
  } catch {
    const { rows } = await db.query<User>(
      'SELECT id, name, email FROM users WHERE email = $1',
      [user.email],
    );
    return rows[0]!;
  }
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
