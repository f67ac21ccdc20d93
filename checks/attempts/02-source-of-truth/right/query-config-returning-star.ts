// right: query({ text, values }) config objects and RETURNING *
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
  const result = await db.query<User>({
    text: 'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING *',
    values: [name, email],
  });
  const row = result.rows[0];
  if (!row) throw new Error('INSERT returned no row');
  return row;
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const result = await db.query<User>({
    text: 'SELECT * FROM users WHERE id = $1',
    values: [id],
  });
  return result.rowCount === 0 ? null : result.rows[0]!;
}
