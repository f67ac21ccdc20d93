// wrong: "A second user with an email already taken is refused: createUser rejects (the UNIQUE constraint does the work; let its error, SQLSTATE 23505, through)." → must fail: rejects a second user with the same email, keeping the first
// ON CONFLICT DO NOTHING "so a double submit does not crash": the duplicate inserts
// nothing, RETURNING gives no row, and createUser resolves with undefined instead of
// rejecting.
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
    `INSERT INTO users (name, email) VALUES ($1, $2)
     ON CONFLICT (email) DO NOTHING
     RETURNING id, name, email`,
    [name, email],
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
