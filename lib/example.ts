// The shape of a lesson's worked example (examples/<lesson>/<name>.ts): a function handed an open
// pool and Redis client, in a sandbox of its own, that prints what it shows. `npm run verify`
// runs every example and compares what it printed with the `// Output:` comment at its end.
import type pg from 'pg';
import type { Cache } from './stores.ts';

export interface ExampleContext {
  /** A pool on the sandbox's own database: empty when the example starts. */
  db: pg.Pool;
  /** A client on the sandbox's own Redis logical database: empty when the example starts. */
  cache: Cache;
  /** The sandbox's addresses, for examples that make their own clients. */
  env: { DATABASE_URL: string; REDIS_URL: string };
}

/** A worked example: prints with console.log, and leaves no table and no key behind. */
export type Example = (context: ExampleContext) => Promise<void>;
