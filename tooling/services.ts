// Where the checks find Postgres and Redis, in the order COURSE.md gives:
//   1. DATABASE_URL and REDIS_URL from the environment;
//   2. a pair of containers kept warm by an earlier run (COURSE_KEEP_SERVICES=1), if still alive;
//   3. a fresh pair of containers started through testcontainers, stopped after the run;
//   4. otherwise one clear message with the three ways to fix it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './deadline.ts';
import { postgresImage, redisImage } from './images.ts';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const keptServicesFile = join(projectRoot, '.course', 'services.json');

export interface Services {
  /** An admin URL: the checks create (and later drop) their own databases through it. */
  postgresUrl: string;
  redisUrl: string;
  /** How the services were found, for messages and the bench. */
  source: 'environment' | 'kept containers' | 'containers';
  /** Stops what this run started; a no-op for services the run did not start. */
  stop(): Promise<void>;
  /** The containers this run started and must stop (none for URLs or kept containers). */
  containerIds?: string[];
}

interface KeptServices {
  postgresUrl: string;
  redisUrl: string;
  containerIds: string[];
}

export class ServicesError extends Error {
  override name = 'ServicesError';
}

export const NO_SERVICES = `No Postgres and Redis to run the checks against. Pick one of three ways:
  1. Docker: start Docker (Docker Desktop, or the docker service) and run the command again;
     the checks start postgres and redis containers themselves and stop them afterwards.
  2. docker compose: \`docker compose up -d\` in the course folder, then
       export DATABASE_URL=postgres://course:course@127.0.0.1:5432/course
       export REDIS_URL=redis://127.0.0.1:6379
  3. Your own servers: set DATABASE_URL (a role that may create databases and roles) and REDIS_URL.
\`npm run doctor\` looks at your setup and says what is missing. Setup page: docs/setup.md.`;

export const ONE_URL_ONLY = (set: string, missing: string) =>
  `${set} is set but ${missing} is not. The checks need both servers: set ${missing} too, or unset ${set} to let the checks start containers.`;

/** Asks Postgres for its version, failing within `timeoutMs` whether it refuses or never answers. */
export async function probePostgres(url: string, timeoutMs = 3000): Promise<string> {
  const { default: pg } = await import('pg');
  // The client's own deadlines come after ours, so that a silent server is told in our words.
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs + 1000,
    query_timeout: timeoutMs + 1000,
  });
  client.on('error', () => {});
  try {
    const asked = (async () => {
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return rows[0]?.server_version ?? 'unknown';
    })();
    return await within(asked, timeoutMs, `it accepted the connection but did not answer within ${timeoutMs / 1000} s`);
  } finally {
    void client.end().catch(() => {});
  }
}

/** Asks Redis for its version, failing within `timeoutMs` (no retries) whether it refuses or never answers. */
export async function probeRedis(url: string, timeoutMs = 3000): Promise<string> {
  const { connectResp } = await import('./resp.ts');
  const asked = (async () => {
    const client = await connectResp(url, { connectTimeoutMs: timeoutMs });
    try {
      const info = await client.send(['INFO', 'server']);
      return /redis_version:(\S+)/.exec(String(info))?.[1] ?? 'unknown';
    } finally {
      client.destroy();
    }
  })();
  return await within(asked, timeoutMs, `it accepted the connection but did not answer within ${timeoutMs / 1000} s`);
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ');
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Both servers must answer their own protocol within 3 s (at once, so at most 3 s in all). */
async function probeBoth(postgresUrl: string, redisUrl: string, origin: string): Promise<void> {
  const [p, r] = await Promise.allSettled([probePostgres(postgresUrl), probeRedis(redisUrl)]);
  const problems: string[] = [];
  if (p.status === 'rejected')
    problems.push(`Postgres at ${redact(postgresUrl)} did not answer: ${describe(p.reason)}`);
  if (r.status === 'rejected') problems.push(`Redis at ${redact(redisUrl)} did not answer: ${describe(r.reason)}`);
  if (problems.length > 0) {
    const silent = problems.some((p) => p.includes('never') || p.includes('did not answer within'));
    throw new ServicesError(
      `${problems.join('\n')}\n(${origin}) Is the server running, and is the address right?` +
        (silent
          ? ' A server that accepts connections and never answers is often another program on that port, or a server still starting or stuck.'
          : '') +
        ' `npm run doctor` helps.',
    );
  }
}

/** Hides the password of a URL before it is printed. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a valid URL)';
  }
}

function readKept(): KeptServices | undefined {
  if (!existsSync(keptServicesFile)) return undefined;
  try {
    return JSON.parse(readFileSync(keptServicesFile, 'utf8')) as KeptServices;
  } catch {
    return undefined;
  }
}

/** Whether a Docker engine answers (testcontainers' own look-up: socket, DOCKER_HOST, …). */
export async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** Starts a postgres and a redis container; with `keep`, they outlive the run (see stopKeptServices). */
async function startContainers(keep: boolean): Promise<Services> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const labels: Record<string, string> = { 'course.role': keep ? 'kept' : 'run' };
  const pgContainer = new PostgreSqlContainer(postgresImage())
    .withUsername('course')
    .withPassword('course')
    .withDatabase('course')
    // The checks' data is thrown away after each run: trade durability for speed.
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
    .withLabels(labels);
  const redisContainer = new RedisContainer(redisImage()).withLabels(labels);
  const [pgStarted, redisStarted] = await Promise.allSettled([pgContainer.start(), redisContainer.start()]);
  if (pgStarted.status === 'rejected' || redisStarted.status === 'rejected') {
    for (const s of [pgStarted, redisStarted]) if (s.status === 'fulfilled') await s.value.stop().catch(() => {});
    const reason = pgStarted.status === 'rejected' ? pgStarted.reason : (redisStarted as PromiseRejectedResult).reason;
    throw new ServicesError(
      `Docker answered, but the containers did not start: ${describe(reason)}\n` +
        `Images: ${postgresImage()} and ${redisImage()} (override with POSTGRES_IMAGE / REDIS_IMAGE).\n\n${NO_SERVICES}`,
    );
  }
  const postgres = pgStarted.value;
  const redis = redisStarted.value;
  const postgresUrl = postgres.getConnectionUri();
  const redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  if (keep) {
    mkdirSync(dirname(keptServicesFile), { recursive: true });
    const kept: KeptServices = { postgresUrl, redisUrl, containerIds: [postgres.getId(), redis.getId()] };
    // It holds the containers' URLs, password included: for this user only.
    writeFileSync(keptServicesFile, JSON.stringify(kept, null, 2), { mode: 0o600 });
    return { postgresUrl, redisUrl, source: 'containers', stop: async () => {} };
  }
  return {
    postgresUrl,
    redisUrl,
    source: 'containers',
    containerIds: [postgres.getId(), redis.getId()],
    async stop() {
      await Promise.allSettled([postgres.stop({ timeout: 1 }), redis.stop({ timeout: 1 })]);
    },
  };
}

/** Finds or starts the two services, or throws a ServicesError that says how to fix it. */
export async function provideServices(env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  const databaseUrl = env.DATABASE_URL?.trim();
  const redisUrl = env.REDIS_URL?.trim();
  if (databaseUrl && redisUrl) {
    await probeBoth(databaseUrl, redisUrl, 'from DATABASE_URL and REDIS_URL');
    return { postgresUrl: databaseUrl, redisUrl, source: 'environment', stop: async () => {} };
  }
  if (databaseUrl) throw new ServicesError(ONE_URL_ONLY('DATABASE_URL', 'REDIS_URL'));
  if (redisUrl) throw new ServicesError(ONE_URL_ONLY('REDIS_URL', 'DATABASE_URL'));

  const kept = readKept();
  if (kept) {
    try {
      await probeBoth(kept.postgresUrl, kept.redisUrl, 'kept containers');
      return {
        postgresUrl: kept.postgresUrl,
        redisUrl: kept.redisUrl,
        source: 'kept containers',
        stop: async () => {},
      };
    } catch {
      rmSync(keptServicesFile, { force: true });
    }
  }
  if (!(await dockerAvailable())) throw new ServicesError(NO_SERVICES);
  return startContainers(env.COURSE_KEEP_SERVICES === '1');
}

/**
 * Servers already running, never started here: DATABASE_URL and REDIS_URL, else the kept
 * containers; undefined when there are none, or they do not answer. (The lessons' console uses
 * them: it lives as long as `npm run docs`, which starts nothing.)
 */
export async function runningServices(env: NodeJS.ProcessEnv = process.env): Promise<Services | undefined> {
  const databaseUrl = env.DATABASE_URL?.trim();
  const redisUrl = env.REDIS_URL?.trim();
  const found = databaseUrl && redisUrl ? { postgresUrl: databaseUrl, redisUrl } : readKept();
  if (!found) return undefined;
  try {
    await probeBoth(found.postgresUrl, found.redisUrl, 'for the console');
  } catch {
    return undefined;
  }
  return { postgresUrl: found.postgresUrl, redisUrl: found.redisUrl, source: 'environment', stop: async () => {} };
}

/** Starts a kept pair (or finds the one running) and returns its URLs. */
export async function startKeptServices(): Promise<Services> {
  return provideServices({ ...process.env, DATABASE_URL: '', REDIS_URL: '', COURSE_KEEP_SERVICES: '1' });
}

/** Stops the containers an earlier run kept warm; returns how many it stopped. */
export async function stopKeptServices(): Promise<number> {
  const kept = readKept();
  rmSync(keptServicesFile, { force: true });
  return kept ? removeContainers(kept.containerIds) : 0;
}

/** Stops and removes containers by id; returns how many it removed. */
export async function removeContainers(ids: readonly string[]): Promise<number> {
  if (ids.length === 0 || !(await dockerAvailable())) return 0;
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  let stopped = 0;
  for (const id of ids) {
    try {
      const container = client.container.getById(id);
      await client.container.stop(container, { timeout: 1 });
      await client.container.remove(container, { removeVolumes: true });
      stopped += 1;
    } catch {
      // Already gone: nothing to stop.
    }
  }
  return stopped;
}
