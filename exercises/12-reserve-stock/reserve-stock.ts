// Exercise 12 — Reserve stock, many hands at once.
// Task: README.md beside this file. Lesson:
// docs/lessons/08-concurrency.md. Check: npm test 12
import type pg from 'pg';

export interface StockRequest {
  requestId: string;
  sku: string;
  quantity: number;
}

export type Reservation =
  | { reserved: true; remaining: number }
  | { reserved: false; remaining: number };

export class UnknownSkuError extends Error {
  override name = 'UnknownSkuError';
  constructor(readonly sku: string) {
    super(`no stock row for sku ${sku}`);
  }
}

export async function reserveStock(
  db: pg.Pool,
  { requestId, sku, quantity }: StockRequest,
): Promise<Reservation> {
  // TODO: refuse a quantity that is not a positive integer before
  // touching the database.
  // TODO: one transaction on one client: BEGIN, SET LOCAL
  // lock_timeout, claim the request id (a repeat changes nothing),
  // take the units without ever going below zero, COMMIT; ROLLBACK
  // on every other way out, and release the client in finally.
  // TODO: on 40001 or 40P01, run the whole transaction again from
  // BEGIN, 5 attempts in all; reject any other error at once.
  throw new Error(
    'TODO: reserveStock is not written yet (exercise 12)',
  );
}
