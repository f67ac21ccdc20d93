// wrong: "createUser(db, { name, email }) inserts a row into users and returns the stored { id, name, email }" → must fail: finds a user by id with a parameterized query
// No check title covers state kept between calls: a check should pass a second pool (or end the first) and see the queries arrive through the pool it passed.
// One client is checked out on the first call and kept in a module variable "to save a
// checkout per query": it is never released, and every later call ignores the db it is given.
import type pg from 'pg';
import type { User } from '../../../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

let session: Promise<pg.PoolClient> | undefined;

function client(db: pg.Pool): Promise<pg.PoolClient> {
  session ??= db.connect();
  return session;
}

export async function createUser(
  db: pg.Pool,
  { name, email }: NewUser,
): Promise<User> {
  const { rows } = await (
    await client(db)
  ).query<User>(
    'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id, name, email',
    [name, email],
  );
  return rows[0]!;
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  const { rows } = await (
    await client(db)
  ).query<User>('SELECT id, name, email FROM users WHERE id = $1', [
    id,
  ]);
  return rows[0] ?? null;
}
