// `npm run doctor`: looks at what the checks need (Node; Docker, or DATABASE_URL and REDIS_URL;
// servers that answer and are recent enough; the rights the checks use) and says in plain words
// how to fix each problem. Every probe gives up after a few seconds. Exit code 1 when something
// blocks the checks.
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';
import { within } from '../../tooling/deadline.ts';
import { bold, dim, green, red } from '../../tooling/style.ts';
import { postgresImage, redisImage } from '../../tooling/images.ts';
import { keptServicesFile, ONE_URL_ONLY, probePostgres, probeRedis, redact } from '../../tooling/services.ts';
import {
  MIN_NODE,
  MIN_POSTGRES,
  MIN_REDIS,
  type Finding,
  NODE_OK,
  NODE_OLD,
  NODE_FIX,
  USING_URLS,
  NO_URLS,
  ONE_URL_FIX,
  PG_OK,
  PG_DOWN,
  PG_DOWN_FIX,
  PG_OLD,
  PG_OLD_FIX,
  CREATEDB_OK,
  CREATEDB_NO,
  CREATEDB_FIX,
  REDIS_OK,
  REDIS_DOWN,
  REDIS_DOWN_FIX,
  REDIS_OLD,
  REDIS_OLD_FIX,
  ACL_OK,
  ACL_NO,
  ACL_FIX,
  NO_FREE_DB,
  NO_FREE_DB_FIX,
  DOCKER_OK,
  DOCKER_DOWN,
  DOCKER_FIX,
  IMAGE_PRESENT,
  IMAGE_PULLABLE,
  IMAGE_MISSING,
  IMAGE_FIX,
  KEPT,
  PORT_FREE,
  PORT_TAKEN,
  ALL_GOOD,
  BLOCKED,
  PROBE_MS,
} from './doctor-messages.ts';
export * from './doctor-messages.ts';

function describe(error: unknown): string {
  if (error instanceof AggregateError) return [...new Set(error.errors.map(describe))].join('; ');
  const message =
    error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code || error.name : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

/** Rejects after `ms` so no probe can hang the doctor. */
/** Fails with "<what> gave no answer within N s" unless `promise` settles within `ms`. */
const bounded = <T>(promise: Promise<T>, ms: number, what: string) =>
  within(promise, ms, `${what} gave no answer within ${ms / 1000} s`);

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
