// Variables that name the servers or log in to them (libpq's, node-postgres' and redis-cli's
// too). The check processes never see the machine's: each check file sets its sandbox's own.
// Plain JavaScript: `npm test` starts its first check process (tooling/prefork.mjs) before any
// TypeScript could be loaded, and leaves them out of its environment too.
export const SERVER_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'PGHOST',
  'PGHOSTADDR',
  'PGPORT',
  'PGUSER',
  'PGPASSWORD',
  'PGDATABASE',
  'PGSERVICE',
  'PGSERVICEFILE',
  'PGPASSFILE',
  'REDISCLI_AUTH',
];
