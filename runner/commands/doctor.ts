// `npm run doctor`: looks at what the checks need (Node; Docker, or DATABASE_URL and REDIS_URL;
// servers that answer and are recent enough; the rights the checks use) and says in plain words
// how to fix each problem. Every probe gives up after a few seconds. Exit code 1 when something
// blocks the checks.
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';
import { bold, dim, green, red } from '../../tooling/style.ts';
import { postgresImage, redisImage } from '../../tooling/images.ts';
import { keptServicesFile, ONE_URL_ONLY, probePostgres, probeRedis, redact } from '../../tooling/services.ts';

export const MIN_NODE = 20;
export const MIN_POSTGRES = 13;
export const MIN_REDIS: readonly [number, number] = [7, 0];
const PROBE_MS = 3000;

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

function describe(error: unknown): string {
  if (error instanceof AggregateError) return [...new Set(error.errors.map(describe))].join('; ');
  const message =
    error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code || error.name : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

/** Rejects after `ms` so no probe can hang the doctor. */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function versionParts(version: string): number[] {
  return (/^(\d+)(?:\.(\d+))?/.exec(version)?.slice(1) ?? []).map((n) => Number(n ?? 0));
}

export function checkNode(version = process.versions.node): Finding {
  const [major = 0] = versionParts(version);
  return major >= MIN_NODE
    ? { level: 'ok', text: NODE_OK(version) }
    : { level: 'problem', text: NODE_OLD(version), fix: NODE_FIX };
}

async function checkPostgres(url: string): Promise<Finding[]> {
  const shownUrl = redact(url);
  let version: string;
  try {
    version = await bounded(probePostgres(url, PROBE_MS), PROBE_MS + 1000, 'Postgres');
  } catch (error) {
    return [{ level: 'problem', text: PG_DOWN(shownUrl, describe(error)), fix: PG_DOWN_FIX }];
  }
  const [major = 0] = versionParts(version);
  const findings: Finding[] = [
    major >= MIN_POSTGRES
      ? { level: 'ok', text: PG_OK(version, shownUrl) }
      : { level: 'problem', text: PG_OLD(version), fix: PG_OLD_FIX },
  ];
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_MS, query_timeout: PROBE_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ role: string; db: boolean; roles: boolean }>(
      'SELECT current_user AS role, (rolcreatedb OR rolsuper) AS db, (rolcreaterole OR rolsuper) AS roles FROM pg_roles WHERE rolname = current_user',
    );
    const row = rows[0];
    if (row) {
      const missing = [row.db ? '' : 'create databases', row.roles ? '' : 'create roles'].filter(Boolean);
      const grant = [row.db ? '' : 'CREATEDB', row.roles ? '' : 'CREATEROLE'].filter(Boolean).join(' ');
      findings.push(
        missing.length === 0
          ? { level: 'ok', text: CREATEDB_OK(row.role) }
          : { level: 'problem', text: CREATEDB_NO(row.role, missing.join(' or ')), fix: CREATEDB_FIX(row.role, grant) },
      );
    }
  } catch (error) {
    findings.push({ level: 'note', text: `could not ask Postgres about the role's rights: ${describe(error)}` });
  } finally {
    await client.end().catch(() => {});
  }
  return findings;
}

async function checkRedis(url: string): Promise<Finding[]> {
  const shownUrl = redact(url);
  let version: string;
  try {
    version = await bounded(probeRedis(url, PROBE_MS), PROBE_MS + 1000, 'Redis');
  } catch (error) {
    return [{ level: 'problem', text: REDIS_DOWN(shownUrl, describe(error)), fix: REDIS_DOWN_FIX }];
  }
  const [major = 0, minor = 0] = versionParts(version);
  const recent = major > MIN_REDIS[0] || (major === MIN_REDIS[0] && minor >= MIN_REDIS[1]);
  const findings: Finding[] = [
    recent
      ? { level: 'ok', text: REDIS_OK(version, shownUrl) }
      : { level: 'problem', text: REDIS_OLD(version), fix: REDIS_OLD_FIX },
  ];
  const client = createClient({ url, socket: { connectTimeout: PROBE_MS, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await bounded(client.connect(), PROBE_MS + 1000, 'Redis');
    try {
      await bounded(client.sendCommand(['ACL', 'USERS']), PROBE_MS, 'Redis');
      findings.push({ level: 'ok', text: ACL_OK });
    } catch (error) {
      findings.push({ level: 'problem', text: ACL_NO(describe(error)), fix: ACL_FIX });
    }
    const keyspace = String(await bounded(client.sendCommand(['INFO', 'keyspace']), PROBE_MS, 'Redis'));
    const used = new Set(
      [...keyspace.matchAll(/^db(\d+):keys=(\d+)/gm)].filter((m) => Number(m[2]) > 0).map((m) => Number(m[1])),
    );
    if ([...Array(15).keys()].every((i) => used.has(i + 1)))
      findings.push({ level: 'problem', text: NO_FREE_DB, fix: NO_FREE_DB_FIX });
  } catch (error) {
    findings.push({ level: 'note', text: `could not ask Redis about its users and databases: ${describe(error)}` });
  } finally {
    if (client.isOpen) client.destroy();
  }
  return findings;
}

/** Whether an HTTPS registry answers at all (any status, even 401, means it is reachable). */
function registryAnswers(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, path: '/v2/', method: 'GET', timeout: PROBE_MS }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function checkDocker(): Promise<Finding[]> {
  let client;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    client = await bounded(getContainerRuntimeClient(), 8000, 'Docker');
  } catch (error) {
    return [{ level: 'problem', text: DOCKER_DOWN(describe(error)), fix: DOCKER_FIX }];
  }
  const findings: Finding[] = [{ level: 'ok', text: DOCKER_OK(String(client.info.containerRuntime.serverVersion)) }];
  const { ImageName } = await import('testcontainers');
  for (const image of [postgresImage(), redisImage()]) {
    const name = ImageName.fromString(image);
    const registry = name.registry ?? 'registry-1.docker.io';
    try {
      if (await bounded(client.image.exists(name), PROBE_MS, 'Docker')) {
        findings.push({ level: 'ok', text: IMAGE_PRESENT(image) });
      } else if (await registryAnswers(registry)) {
        findings.push({ level: 'ok', text: IMAGE_PULLABLE(image, registry) });
      } else {
        findings.push({ level: 'problem', text: IMAGE_MISSING(image, registry), fix: IMAGE_FIX(image) });
      }
    } catch (error) {
      findings.push({
        level: 'problem',
        text: IMAGE_MISSING(image, registry) + ` (${describe(error)})`,
        fix: IMAGE_FIX(image),
      });
    }
  }
  if (existsSync(keptServicesFile)) findings.push({ level: 'note', text: KEPT });
  return findings;
}

/** Whether something listens on 127.0.0.1:port. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function pointsAt(url: string | undefined, port: number): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    const defaultPort = u.protocol.startsWith('postgres') ? 5432 : 6379;
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && Number(u.port || defaultPort) === port;
  } catch {
    return false;
  }
}

async function checkPorts(env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const ports = [
    { port: Number(env.POSTGRES_PORT) || 5432, what: 'Postgres', url: env.DATABASE_URL },
    { port: Number(env.REDIS_PORT) || 6379, what: 'Redis', url: env.REDIS_URL },
  ];
  return Promise.all(
    ports.map(async ({ port, what, url }): Promise<Finding> =>
      (await portTaken(port))
        ? { level: 'note', text: PORT_TAKEN(port, what, pointsAt(url, port)) }
        : { level: 'note', text: PORT_FREE(port, what) },
    ),
  );
}

/** Everything the doctor looks at, in the order it prints them. */
export async function diagnose(env: NodeJS.ProcessEnv = process.env): Promise<Finding[]> {
  const findings: Finding[] = [checkNode()];
  const databaseUrl = env.DATABASE_URL?.trim();
  const redisUrl = env.REDIS_URL?.trim();
  if (databaseUrl && redisUrl) {
    findings.push({ level: 'ok', text: USING_URLS });
    const [p, r] = await Promise.all([checkPostgres(databaseUrl), checkRedis(redisUrl)]);
    findings.push(...p, ...r);
  } else if (databaseUrl || redisUrl) {
    const [set, missing] = databaseUrl ? ['DATABASE_URL', 'REDIS_URL'] : ['REDIS_URL', 'DATABASE_URL'];
    findings.push({ level: 'problem', text: ONE_URL_ONLY(set, missing), fix: ONE_URL_FIX });
  } else {
    findings.push({ level: 'note', text: NO_URLS }, ...(await checkDocker()));
  }
  findings.push(...(await checkPorts(env)));
  return findings;
}

const MARK = {
  ok: () => green('✓'),
  note: () => dim('·'),
  problem: () => red('✗'),
} as const satisfies Record<Finding['level'], () => string>;

export function renderFindings(findings: readonly Finding[]): string {
  const lines = [bold('Course doctor')];
  for (const f of findings) {
    lines.push(`  ${MARK[f.level]()} ${f.level === 'note' ? dim(f.text) : f.text}`);
    if (f.fix) lines.push(`      ${bold('Fix:')} ${f.fix}`);
  }
  const problems = findings.filter((f) => f.level === 'problem').length;
  lines.push('', problems === 0 ? `${green('✓')} ${ALL_GOOD}` : `${red('✗')} ${BLOCKED(problems)}`);
  return lines.join('\n');
}

export async function doctor(): Promise<void> {
  const findings = await diagnose();
  console.log(renderFindings(findings));
  if (findings.some((f) => f.level === 'problem')) process.exitCode = 1;
}
