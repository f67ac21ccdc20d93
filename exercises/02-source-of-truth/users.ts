// Exercise 02 — Users in the filing cabinet.
// Task: README.md beside this file. Lesson:
// docs/lessons/03-source-of-truth.md. Check: npm test 02
import type pg from 'pg';
import type { User } from '../../lib/stores.ts';

export interface NewUser {
  name: string;
  email: string;
}

export async function createUser(
  db: pg.Pool,
  user: NewUser,
): Promise<User> {
  // TODO: INSERT the user with a parameterized query ($1, $2) and
  // return the stored row (RETURNING).
  throw new Error(
    'TODO: createUser is not written yet (exercise 02)',
  );
}

export async function findUser(
  db: pg.Pool,
  id: number,
): Promise<User | null> {
  // TODO: SELECT the user by id with a parameter; return null when
  // there is none.
  throw new Error(
    'TODO: findUser is not written yet (exercise 02)',
  );
}
