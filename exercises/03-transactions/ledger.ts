// Exercise 03 — Move money with a transaction.
// Task: README.md beside this file. Lesson:
// docs/lessons/03-source-of-truth.md. Check: npm test 03
import type pg from 'pg';

export interface Transfer {
  from: number;
  to: number;
  amountCents: number;
}

export class InsufficientFundsError extends Error {
  override name = 'InsufficientFundsError';
  constructor(
    readonly accountId: number,
    readonly balanceCents: number,
    readonly amountCents: number,
  ) {
    super(
      `account ${accountId} holds ${balanceCents} cents, cannot send ${amountCents}`,
    );
  }
}

export async function transfer(
  db: pg.Pool,
  { from, to, amountCents }: Transfer,
): Promise<void> {
  // TODO: reject a non-positive amount and a transfer to the same
  // account before touching the database. TODO: take one client
  // from the pool; BEGIN; lock both accounts (SELECT … FOR UPDATE);
  // reject unknown accounts; throw InsufficientFundsError when the
  // balance is too low; move the money; add the ledger row; COMMIT.
  // TODO: ROLLBACK on any error, and release the client in a
  // finally block (with the error, release(err), if even the
  // ROLLBACK failed).
  throw new Error(
    'TODO: transfer is not written yet (exercise 03)',
  );
}
