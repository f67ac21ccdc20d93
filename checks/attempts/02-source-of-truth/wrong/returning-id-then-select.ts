// wrong: "Each call returns its own stored row, even when many users are created at the same moment: take it from RETURNING, not from a second query afterwards." → must fail: returns each caller its own row when eight users are created at once
// RETURNING gives only the id, and the row is read back with a second SELECT by that id:
// always the right row, but two round trips (and two pool checkouts) per sign-up where the
// README asks for one, "to return exactly what the table holds".
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
  const inserted = await db.query<{ id: number }>(
    'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id',
    [name, email],
  );
  const id = inserted.rows[0]!.id;
  const { rows } = await db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
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
