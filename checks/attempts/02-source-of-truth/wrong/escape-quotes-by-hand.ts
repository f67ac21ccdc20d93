// wrong: "Values travel as parameters ($1, $2), never glued into the statement text." → must fail: stores hostile strings literally: values travel as parameters, never in the SQL text
// Doubles the quotes by hand, so the hostile name is even stored
// right; but the values still travel inside the statement text.
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  const { rows } = await db.query<User>(
    `INSERT INTO users (name, email)
      VALUES (${quote(user.name)}, ${quote(user.email)})
      RETURNING id, name, email`,
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
