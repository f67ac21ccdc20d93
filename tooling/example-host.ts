// Runs one worked example in a process of its own (tooling/examples.ts starts it):
//   node --import tsx tooling/example-host.ts <example file>
// with DATABASE_URL and REDIS_URL naming a sandbox and nothing else. It opens a pool and a Redis
// client there, calls the example, closes both, and exits: 0 when the example resolved.
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import type { Example } from '../lib/example.ts';

const file = process.argv[2];
const { DATABASE_URL = '', REDIS_URL = '' } = process.env;
if (!file || !DATABASE_URL || !REDIS_URL) {
  console.error('usage: DATABASE_URL=… REDIS_URL=… node --import tsx tooling/example-host.ts <example file>');
  process.exit(2);
}

const db = new pg.Pool({ connectionString: DATABASE_URL, max: 5, connectionTimeoutMillis: 5000 });
db.on('error', (error) => console.error(`pool error: ${error.message}`));
const cache = createClient({
  url: REDIS_URL,
  socket: { connectTimeout: 5000, reconnectStrategy: (retries) => (retries > 5 ? false : 100) },
});
cache.on('error', (error: Error) => console.error(`redis error: ${error.message}`));

try {
  const module = (await import(pathToFileURL(file).href)) as { default?: Example };
  if (typeof module.default !== 'function') throw new Error(`${file} has no default export (an Example function)`);
  await cache.connect();
  await module.default({ db, cache, env: { DATABASE_URL, REDIS_URL } });
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  if (cache.isOpen) await cache.close().catch(() => cache.destroy());
  await db.end().catch(() => {});
}
