// What `npm run doctor` says: every finding and its fix, as named constants (tests read them too).
export const MIN_NODE = 20;
export const MIN_POSTGRES = 13;
export const MIN_REDIS: readonly [number, number] = [7, 0];
export const PROBE_MS = 3000;

/** One thing the doctor looked at. `problem` blocks the checks; `note` is for information. */
export interface Finding {
  level: 'ok' | 'note' | 'problem';
  text: string;
  /** For a problem: what to do, in plain words. */
  fix?: string;
}

export const NODE_OK = (v: string) => `Node ${v} (${MIN_NODE} or newer needed)`;
export const NODE_OLD = (v: string) => `Node ${v} is too old: the course needs Node ${MIN_NODE} or newer.`;
export const NODE_FIX = `Install Node ${MIN_NODE} LTS or newer (https://nodejs.org, or \`nvm install ${MIN_NODE}\`), then run npm install again.`;
export const USING_URLS =
  'DATABASE_URL and REDIS_URL are set: the checks use those two servers (Docker is not needed).';
export const NO_URLS =
  'DATABASE_URL and REDIS_URL are not set: the checks start Postgres and Redis in Docker containers.';
export const ONE_URL_FIX =
  'Set both (export DATABASE_URL=… REDIS_URL=…), or unset the one that is set so the checks use Docker.';
export const PG_OK = (version: string, url: string) =>
  `Postgres ${version} answers at ${url} (${MIN_POSTGRES} or newer needed)`;
export const PG_DOWN = (url: string, why: string) => `Postgres at ${url} does not answer: ${why}`;
export const PG_DOWN_FIX =
  'Start Postgres (docker compose up -d, or your own server) and check the host, port, user and password in DATABASE_URL.';
export const PG_OLD = (version: string) => `Postgres ${version} is too old: the course needs ${MIN_POSTGRES} or newer.`;
export const PG_OLD_FIX = `Use Postgres ${MIN_POSTGRES} or newer: docker compose up -d gives one, or point DATABASE_URL at a newer server.`;
export const CREATEDB_OK = (role: string) =>
  `role "${role}" may create databases and roles (the checks work in databases of their own, your code as a role of its own)`;
export const CREATEDB_NO = (role: string, missing: string) =>
  `role "${role}" may not ${missing}: each run makes a database, and a role for your code that owns only it, and drops both after.`;
export const CREATEDB_FIX = (role: string, grant: string) =>
  `As a superuser: ALTER ROLE "${role}" ${grant}; or point DATABASE_URL at a role that has it (docker compose's "course" role does).`;
export const REDIS_OK = (version: string, url: string) =>
  `Redis ${version} answers at ${url} (${MIN_REDIS.join('.')} or newer needed)`;
export const REDIS_DOWN = (url: string, why: string) => `Redis at ${url} does not answer: ${why}`;
export const REDIS_DOWN_FIX =
  'Start Redis (docker compose up -d, or your own server) and check the host, port and password in REDIS_URL.';
export const REDIS_OLD = (version: string) =>
  `Redis ${version} is too old: the course needs ${MIN_REDIS.join('.')} or newer.`;
export const REDIS_OLD_FIX = `Use Redis ${MIN_REDIS.join('.')} or newer: docker compose up -d gives one, or point REDIS_URL at a newer server.`;
export const ACL_OK = 'the Redis user may manage ACL users (the checks give your code a user of its own)';
export const ACL_NO = (why: string) => `the Redis user may not manage ACL users, which the checks need: ${why}`;
export const ACL_FIX =
  "Use a Redis where REDIS_URL's user is an admin (the default user of a local or docker Redis is).";
export const NO_FREE_DB = 'every Redis logical database 1–15 holds keys: the checks only ever use an empty one.';
export const NO_FREE_DB_FIX =
  'Point REDIS_URL at a Redis you keep for this course (docker compose up -d gives one), or empty one of databases 1–15.';
export const DOCKER_OK = (version: string) => `Docker answers (server ${version})`;
export const DOCKER_DOWN = (why: string) => `Docker does not answer: ${why}`;
export const DOCKER_FIX =
  'Start Docker (Docker Desktop, or `sudo systemctl start docker`) and check `docker info` works for your user. ' +
  'Or skip Docker: `docker compose up -d` elsewhere, or your own servers, and set DATABASE_URL and REDIS_URL.';
export const IMAGE_PRESENT = (image: string) => `image ${image} is present`;
export const IMAGE_PULLABLE = (image: string, registry: string) =>
  `image ${image} is not here yet; ${registry} answers, so the first run pulls it (or now: docker pull ${image})`;
export const IMAGE_MISSING = (image: string, registry: string) =>
  `image ${image} is not here and ${registry} does not answer, so it cannot be pulled.`;
export const IMAGE_FIX = (image: string) =>
  `Connect to the internet and run docker pull ${image}; or set POSTGRES_IMAGE / REDIS_IMAGE to images you have (docker images lists them).`;
export const KEPT = 'a warm pair of containers is kept from an earlier run (npm run services:stop stops it)';
export const PORT_FREE = (port: number, what: string) =>
  `port ${port} on 127.0.0.1 is free (docker compose can publish ${what} there)`;
export const PORT_TAKEN = (port: number, what: string, yours: boolean) =>
  yours
    ? `port ${port} on 127.0.0.1 is taken by the ${what} your URL names`
    : `port ${port} on 127.0.0.1 is taken: for docker compose, set ${what === 'Postgres' ? 'POSTGRES_PORT' : 'REDIS_PORT'}=<another port> ` +
      `and use it in the URL (nothing to do if you do not use docker compose)`;
export const ALL_GOOD = 'Everything the checks need is in place.';
export const BLOCKED = (n: number) =>
  `${n} problem${n === 1 ? '' : 's'} to fix before the checks can run (each with what to do).`;
