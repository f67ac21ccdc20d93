// Exercise 15 — The transactional outbox and its relay.
// Task: README.md beside this file. Lesson:
// docs/lessons/12-outbox.md. Check: npm test 15
import type pg from 'pg';
import type { Stores, User } from '../../lib/stores.ts';

/** At least one of the two. */
export interface UserChanges {
  name?: string;
  email?: string;
}

export interface RelayOptions {
  /** The most outbox rows one pass takes. */
  batchSize: number;
}

export async function updateUser(
  db: pg.Pool,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  // TODO: one client, one transaction: UPDATE the user (only the
  // fields given) RETURNING id, name, email; then INSERT its outbox
  // row ('user.updated', the row as payload); COMMIT. No such user:
  // no event, null. TODO: on any error ROLLBACK, then reject; always
  // release the client.
  throw new Error(
    'TODO: updateUser is not written yet (exercise 15)',
  );
}

export async function relayOnce(
  stores: Stores,
  options: RelayOptions,
): Promise<number> {
  // TODO: in one transaction, take up to batchSize pending rows,
  // lowest id first, FOR UPDATE SKIP LOCKED. TODO: XADD each to
  // `user-events` (event_id, type, user_id, payload), DEL the
  // `user:<id>` keys, then mark exactly those rows sent and COMMIT.
  // TODO: on any error ROLLBACK and reject: the rows stay pending.
  throw new Error(
    'TODO: relayOnce is not written yet (exercise 15)',
  );
}
