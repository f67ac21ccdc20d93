// Variables that name the servers or log in to them (libpq's, node-postgres' and redis-cli's
// too). The check processes never see the machine's: each check file sets its sandbox's own.
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
] as const;
