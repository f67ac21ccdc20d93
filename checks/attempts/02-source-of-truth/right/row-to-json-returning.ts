// right: row_to_json in RETURNING and in the lookup, the user read off one json column
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

// pg parses a json column into an object: the row arrives already shaped as a User.
type JsonRow = { user: User };

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  const result = await db.query<JsonRow>(
    `INSERT INTO users AS u (name, email) VALUES ($1, $2)
     RETURNING row_to_json(u) AS user`,
    [user.name, user.email],
  );
  const [row] = result.rows;
  if (row === undefined)
    throw new Error('the INSERT returned no row');
  return row.user;
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const result = await db.query<JsonRow>(
    'SELECT row_to_json(u) AS user FROM users AS u WHERE u.id = $1',
    [id],
  );
  return result.rows.length === 1 ? result.rows[0]!.user : null;
}
