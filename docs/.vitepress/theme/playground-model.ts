// The pretend stores of the cache-aside playground: their shapes, the three users, the TTL.
export interface Row {
  id: number;
  name: string;
  email: string;
}
export interface CacheEntry {
  value: string;
  /** Simulated second at which the key expires. */
  expiresAt: number;
}
export type Outcome = 'HIT' | 'MISS' | 'STALE';
export type LogKind = 'hit' | 'miss' | 'postgres' | 'redis' | 'expire' | 'warn';
export interface LogLine {
  n: number;
  at: number;
  kind: LogKind;
  text: string;
}

/** A short TTL so you can watch it run out; the exercises use 300 s. */
export const TTL_SECONDS = 30;
export type Speed = 1 | 5;
export const LOG_LIMIT = 40;

export const RENAMES: Record<number, readonly string[]> = {
  1: ['Ada King', 'Ada Byron', 'Ada Lovelace'],
  2: ['Rear Admiral Hopper', 'Amazing Grace', 'Grace Hopper'],
  3: ['Alan M. Turing', 'A. M. Turing', 'Alan Turing'],
};
export const initialRows = (): Row[] => [
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 2, name: 'Grace Hopper', email: 'grace@example.com' },
  { id: 3, name: 'Alan Turing', email: 'alan@example.com' },
];

export const keyOf = (id: number) => `user:${id}`;
export const toJson = (row: Row) => JSON.stringify({ id: row.id, name: row.name, email: row.email });
export const stamp = (seconds: number) => `t=${seconds.toFixed(1)}s`;
