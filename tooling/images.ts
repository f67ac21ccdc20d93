// The container images the checks start when no DATABASE_URL / REDIS_URL is given. Pinned here
// only; docker-compose.yml uses the same defaults (npm run verify compares them).
export const DEFAULT_POSTGRES_IMAGE = 'postgres:16-alpine';
export const DEFAULT_REDIS_IMAGE = 'redis:7-alpine';

export function postgresImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.POSTGRES_IMAGE?.trim() || DEFAULT_POSTGRES_IMAGE;
}

export function redisImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_IMAGE?.trim() || DEFAULT_REDIS_IMAGE;
}
