// right: a CTE around the INSERT, and array rows mapped by hand
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

type Row = [number, string, string];

function toUser([id, name, email]: Row): User {
  return { id, name, email };
}

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  const { rows } = await db.query<Row>({
    text: `WITH inserted AS (
             INSERT INTO users (name, email) VALUES ($1, $2)
             RETURNING id, name, email
           )
           SELECT id, name, email FROM inserted`,
    values: [user.name, user.email],
    rowMode: 'array',
  });
  return toUser(rows[0]!);
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const { rows } = await db.query<Row>({
    text: 'SELECT id, name, email FROM users WHERE id = $1::integer LIMIT 1',
    values: [id],
    rowMode: 'array',
  });
  return rows.length > 0 ? toUser(rows[0]!) : null;
}
