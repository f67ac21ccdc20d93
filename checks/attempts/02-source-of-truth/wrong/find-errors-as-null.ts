// wrong: "An unknown id gives null, not an error." → must fail: returns null for an unknown id
// No check title covers the reverse: a check should make the SELECT itself fail (a pool that was ended, a dropped table) and see findUser reject rather than resolve null.
// Every failure of the SELECT becomes null, "since an error means we did not find it":
// with Postgres down, each user looks deleted, and callers may go on to create it again.
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
    [name, email],
  );
  return rows[0]!;
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  try {
    const { rows } = await db.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  } catch {
    return null;
  }
}
