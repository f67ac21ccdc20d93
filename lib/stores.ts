// The shapes every exercise shares. Exercises import these types; nothing here opens a connection.
import type pg from 'pg';
import type { createClient } from 'redis';

/** A node-redis client, as `createClient()` makes it. */
export type Cache = ReturnType<typeof createClient>;

/** The two stores an application holds for its whole life: made once at start-up, shared, closed at shutdown. */
export interface Stores {
  /** Postgres, the filing cabinet: the source of truth. */
  db: pg.Pool;
  /** Redis, the sticky note: fast, in memory, meant to expire. */
  cache: Cache;
  /** Ends both clients; the process can then exit. */
  close(): Promise<void>;
}

/** A row of the `users` table. */
export interface User {
  id: number;
  name: string;
  email: string;
}
