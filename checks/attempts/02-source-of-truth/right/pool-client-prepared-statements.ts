// right: a checked-out client released in finally, and named prepared statements
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
  const client = await db.connect();
  try {
    const { rows } = await client.query<User>({
      name: 'create-user',
      text: `INSERT INTO users (name, email) VALUES ($1, $2)
              RETURNING id, name, email`,
      values: [user.name, user.email],
    });
    return rows[0]!;
  } finally {
    client.release();
  }
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const client = await db.connect();
  try {
    const { rows } = await client.query<User>({
      name: 'find-user',
      text: 'SELECT id, name, email FROM users WHERE id = $1',
      values: [id],
    });
    const [user] = rows;
    return user ?? null;
  } finally {
    client.release();
  }
}
