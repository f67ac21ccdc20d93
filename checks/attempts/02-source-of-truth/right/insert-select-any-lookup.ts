// right: INSERT … SELECT with casts, an ANY($1) lookup and a column list constant
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

const COLUMNS = 'id, name, email';

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  // a duplicate email rejects here with code 23505, as it should
  const inserted = await db.query<User>(
    `INSERT INTO users (email, name)
       SELECT $1::text, $2::text
     RETURNING ${COLUMNS}`,
    [user.email, user.name],
  );
  return inserted.rows[0]!;
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const found = await db.query<User>(
    `SELECT ${COLUMNS} FROM users WHERE id = ANY($1::int[])`,
    [[id]],
  );
  return found.rows.at(0) ?? null;
}
