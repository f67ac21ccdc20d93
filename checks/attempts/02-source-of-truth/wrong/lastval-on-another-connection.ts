// wrong: "Each call returns its own stored row, even when many users are created at the same moment: take it from RETURNING, not from a second query afterwards." → must fail: returns each caller its own row when eight users are created at once
// No RETURNING: the INSERT is followed by a SELECT on lastval(), "the id this session just
// made". But db.query lends each statement whichever pooled connection is free: the SELECT
// often runs in another session, where lastval() is somebody else's id, or not defined.
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
  await db.query(
    'INSERT INTO users (name, email) VALUES ($1, $2)',
    [name, email],
  );
  const { rows } = await db.query<User>(
    'SELECT id, name, email FROM users WHERE id = lastval()',
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
