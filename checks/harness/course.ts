// One check file's private world: a Postgres database made for this run and emptied for this
// file alone, its own Redis logical database (claimed only when empty and proven ours before
// anything is deleted), its own Redis user for the learner's code, and eyes on both servers
// (SQL through the pool, commands through MONITOR).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { findExercise, folderOf, type Exercise } from '../../manifest';
import type { Cache, Stores } from '../../lib/stores';
import { createRunDatabase } from './databases';
import { databaseName, notePrefix, OPEN_DIR, OWNER_KEY, type OpenNote } from './names';
import { RedisMonitor, type SeenCommand } from './redis-monitor';
import { startProxy, type Proxy } from './proxy';
import { projectRoot, redact } from './services';
import { CheckFailure } from './teach';

export interface ProvidedServices {
  postgresUrl: string;
  redisUrl: string;
  runId: string;
  source: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ProvidedServices;
  }
}

export interface SqlStatement {
  text: string;
  values: unknown[];
  /** Which pooled connection sent it (1, 2, …), to see what shared a transaction. */
  connection: number;
  /** Wall-clock time (ms since the epoch, fractional) when it was sent and when it settled. */
  sentAt: number;
  settledAt?: number;
}

/** The wall clock in fractional milliseconds, comparable with MONITOR's timestamps. */
export const now = () => performance.timeOrigin + performance.now();

export interface ObservedStores extends Stores {
  /** Errors the Redis client emitted (its `error` events). */
  redisErrors: Error[];
}

export interface Watched<T> {
  result: T;
  sql: SqlStatement[];
  redis: SeenCommand[];
}

const CLAIM = `if redis.call('DBSIZE') == 0 then redis.call('SET', KEYS[1], ARGV[1]) return 1 end return 0`;
// Wipes the database only while it still carries our owner key (or holds nothing at all).
const WIPE = `local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] or (owner == false and redis.call('DBSIZE') == 0) then
  redis.call('FLUSHDB') redis.call('SET', KEYS[1], ARGV[1]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('FLUSHDB') return 1 end return 0`;
const LEARNER_RULES = ['+@all', '-@dangerous', '+flushdb', '+keys', '+info'];

export const SCHEMA_SQL = readFileSync(join(projectRoot, 'db', 'schema.sql'), 'utf8');

// Drops every schema an earlier file of the run made or filled (public included), then gives back an empty public.
const EMPTY_DATABASE = `DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP; END $$;
CREATE SCHEMA public;`;

/** Where the code under check lives: `exercises/` (the learner's) unless COURSE_TARGET says otherwise. */
export function targetRoot(): string {
  const target = process.env.COURSE_TARGET?.trim() || 'exercises';
  return target.startsWith('/') ? target : join(projectRoot, target);
}

export function exerciseFile(exercise: Exercise): string {
  return join(targetRoot(), folderOf(exercise), exercise.file);
}

export class Course {
  readonly exercise: Exercise;
  private token = '';
  private admin?: pg.Client;
  private dbName = '';
  private noteName = '';
  /** Whether close() drops the database: when it was made for this Course alone (see the constructor). */
  private readonly dropOnClose: boolean;
  private created = false;
  private harnessDb?: pg.Pool;
  private harnessCache?: Cache;
  private monitor?: Promise<RedisMonitor>;
  private harnessAddresses = new Set<string>();
  private claimedDb = -1;
  private learnerUser = '';
  private learnerPassword = randomBytes(16).toString('hex');
  private perTest: { close(): Promise<void> }[] = [];
  private perFile: { close(): Promise<void> }[] = [];
  private connections = 0;
  private markers = 0;
  /** Every statement the learner's pools sent, in order. */
  readonly sql: SqlStatement[] = [];

  /**
   * `services` defaults to what the run's global setup provided (inject), and the run's teardown
   * drops the database; a caller that passes its own (the bench) has close() drop it.
   */
  constructor(exerciseId: string, private readonly provided?: ProvidedServices) {
    const exercise = findExercise(exerciseId);
    if (!exercise) throw new Error(`checks: no exercise "${exerciseId}" in manifest.ts`);
    this.exercise = exercise;
    this.dropOnClose = provided !== undefined;
  }

  get services(): ProvidedServices {
    return this.provided ?? inject('services');
  }

  /** The harness's own pool on this file's database (not observed). */
  get db(): pg.Pool {
    if (!this.harnessDb) throw new Error('course not open yet');
    return this.harnessDb;
  }

  /** The harness's own Redis client on this file's logical database (not observed). */
  get redis(): Cache {
    if (!this.harnessCache) throw new Error('course not open yet');
    return this.harnessCache;
  }

  /** The Redis user the learner's clients log in as (see CLIENT LIST's `user=` field). */
  get redisUser(): string {
    return this.learnerUser;
  }

  get redisDb(): number {
    return this.claimedDb;
  }

  /** URL of this file's own Postgres database. */
  get databaseUrl(): string {
    const u = new URL(this.services.postgresUrl);
    u.pathname = `/${this.dbName}`;
    return u.toString();
  }

  /** URL the learner's code uses for Redis: its own user, this file's logical database. */
  get redisUrl(): string {
    const u = new URL(this.services.redisUrl);
    u.username = this.learnerUser;
    u.password = this.learnerPassword;
    u.pathname = `/${this.claimedDb}`;
    return u.toString();
  }

  /** Loads the module under check (the learner's stub or the reference solution). */
  async load<T>(): Promise<T> {
    return (await import(pathToFileURL(exerciseFile(this.exercise)).href)) as T;
  }

  async open(): Promise<void> {
    const { postgresUrl, redisUrl, runId } = this.services;
    // The owner mark starts with the run's id, so the run's teardown can release what a crashed file left.
    this.token = `${runId}:${randomBytes(12).toString('hex')}`;
    const key = `${this.exercise.id}_${randomBytes(3).toString('hex')}`;
    // One database per worker of the run (files in one worker run one after another): the run's
    // global setup starts creating it while the worker boots, and each file empties it first.
    this.dbName = databaseName(runId, process.env.VITEST_POOL_ID ?? '1');
    this.noteName = `${notePrefix(runId)}${key}`;
    this.learnerUser = `course-check-${runId}-${key}`;
    // Until close() removes it, this note tells the run's teardown there may be something to release.
    mkdirSync(OPEN_DIR, { recursive: true });
    // It names the run's process (this worker's parent) and servers: a run that died without its
    // teardown is released by the next run to find its note (see release.ts).
    const note: OpenNote = { runId, runPid: process.ppid, postgresUrl, redisUrl };
    writeFileSync(this.openNote, JSON.stringify(note));

    this.admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
    this.admin.on('error', () => {});
    await this.admin.connect();
    try {
      this.created = await createRunDatabase(this.admin, this.dbName, runId);
    } catch (error) {
      throw new CheckFailure(
        `The checks work in a database of their own, created for this run and dropped after it; ` +
          `they never touch the one in DATABASE_URL (${redact(postgresUrl)}).\n` +
          `Creating "${this.dbName}" failed: ${(error as Error).message}\n` +
          `Give that role the CREATEDB privilege (ALTER ROLE … CREATEDB), or point DATABASE_URL at a server where it has it.`,
      );
    }
    if (!this.created) {
      // An earlier file of this worker used it: end whatever of its sessions lingers, then start empty.
      await this.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.dbName]);
    }
    this.harnessDb = new pg.Pool({ connectionString: this.databaseUrl, max: 3 });
    this.harnessDb.on('error', () => {});
    // One round trip, one commit: the emptying (when an earlier file used it) and the course's tables.
    await this.harnessDb.query(this.created ? SCHEMA_SQL : `${EMPTY_DATABASE}\n${SCHEMA_SQL}`);

    const cache: Cache = createClient({ url: redisUrl, socket: { connectTimeout: 5000, reconnectStrategy: (n) => (n > 20 ? false : 100) } });
    cache.on('error', () => {});
    await cache.connect();
    this.harnessCache = cache;
    for (let db = 1; db < 16 && this.claimedDb < 0; db += 1) {
      await cache.select(db);
      if (Number(await cache.eval(CLAIM, { keys: [OWNER_KEY], arguments: [this.token] })) === 1) this.claimedDb = db;
    }
    if (this.claimedDb < 0) {
      throw new CheckFailure(
        `The checks keep their Redis data in an empty logical database (1–15) of their own, and never touch one that holds keys.\n` +
          `Every database from 1 to 15 on ${redact(redisUrl)} holds keys, so there is none to claim.\n` +
          `Point REDIS_URL at a Redis you use for this course (docker compose up -d gives one), or free a database.`,
      );
    }
    this.harnessAddresses.add(this.addressOf(String(await cache.sendCommand(['CLIENT', 'INFO']))));
    try {
      await cache.sendCommand(['ACL', 'SETUSER', this.learnerUser, 'on', `>${this.learnerPassword}`, '~*', '&*', ...LEARNER_RULES]);
    } catch (error) {
      throw new CheckFailure(
        `The checks give your code a Redis user of its own (ACL SETUSER), so they can make Redis fail on purpose.\n` +
          `Redis at ${redact(redisUrl)} refused: ${(error as Error).message}\nUse a Redis 7 where the REDIS_URL user may manage ACLs (the default user of a local or docker Redis can).`,
      );
    }
  }

  private get openNote(): string {
    return join(OPEN_DIR, `${this.noteName}.txt`);
  }

  private addressOf(clientInfo: string): string {
    return /(?:^|\s)addr=(\S+)/.exec(clientInfo)?.[1] ?? '';
  }

  /** Empties the tables and this file's Redis database, and gives the learner's user back its rights. */
  async reset(): Promise<void> {
    // DELETE, not TRUNCATE: on a handful of rows it is several times faster, and every check pays it.
    await this.db.query(`DELETE FROM ledger; DELETE FROM accounts; DELETE FROM users;
      ALTER TABLE users ALTER COLUMN id RESTART; ALTER TABLE ledger ALTER COLUMN id RESTART`);
    const wiped = Number(await this.redis.eval(WIPE, { keys: [OWNER_KEY], arguments: [this.token] }));
    if (wiped !== 1) {
      throw new CheckFailure(
        `Redis database ${this.claimedDb} no longer carries this run's owner mark, so the checks will not wipe it: ` +
          `something else may be using it now. Did the code under check run FLUSHDB or FLUSHALL, or SELECT another database?`,
      );
    }
    await this.allowRedis();
    this.sql.length = 0;
  }

  /** Makes the learner's Redis user lose the right to run these commands: each is answered NOPERM. */
  async denyRedis(...commands: string[]): Promise<void> {
    await this.redis.sendCommand(['ACL', 'SETUSER', this.learnerUser, ...commands.map((c) => `-${c.toLowerCase()}`)]);
  }

  /** Undoes denyRedis. */
  async allowRedis(): Promise<void> {
    await this.redis.sendCommand(['ACL', 'SETUSER', this.learnerUser, ...LEARNER_RULES]);
  }

  /** A pg.Pool on this file's database whose statements land in `course.sql`. */
  observedPool(options: pg.PoolConfig = {}): pg.Pool {
    const pool = new pg.Pool({ connectionString: this.databaseUrl, max: 5, connectionTimeoutMillis: 5000, ...options });
    pool.on('error', () => {});
    pool.on('connect', (client) => {
      const connection = (this.connections += 1);
      const original = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
        const text = typeof first === 'string' ? first : first?.text;
        const values = Array.isArray(args[1]) ? args[1] : (typeof first === 'object' ? first?.values : undefined);
        const statement: SqlStatement | undefined = text ? { text, values: values ?? [], connection, sentAt: now() } : undefined;
        if (statement) this.sql.push(statement);
        const settled = () => { if (statement) statement.settledAt = now(); };
        const last = args[args.length - 1];
        if (typeof last === 'function') {
          args[args.length - 1] = (...cbArgs: unknown[]) => { settled(); return (last as (...a: unknown[]) => unknown)(...cbArgs); };
          return original(...args);
        }
        const result = original(...args);
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(settled, settled);
        return result;
      };
    });
    return pool;
  }

  /** A node-redis client for the learner's code, logged in as its own user on this file's database. */
  async learnerCache(url = this.redisUrl): Promise<Cache & { errors: Error[] }> {
    const cache = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: (n) => (n > 50 ? false : 50) } });
    const errors: Error[] = [];
    cache.on('error', (e: Error) => errors.push(e));
    await cache.connect();
    // A round trip after the handshake: its SELECT must not land inside a check's watch().
    await cache.ping();
    return Object.assign(cache, { errors });
  }

  /** The Stores the learner's code receives: a fresh observed pool and Redis client, closed after the check. */
  async stores(options: { redisUrl?: string; pool?: pg.PoolConfig } = {}): Promise<ObservedStores> {
    const db = this.observedPool(options.pool);
    const cache = await this.learnerCache(options.redisUrl);
    let closed = false;
    const stores: ObservedStores = {
      db,
      cache,
      redisErrors: cache.errors,
      async close() {
        if (closed) return;
        closed = true;
        if (cache.isOpen) cache.destroy();
        await endPool(db);
      },
    };
    this.perTest.push(stores);
    return stores;
  }

  /** A fault-injecting proxy to this file's Redis or Postgres, closed after the check. */
  async proxy(target: 'redis' | 'postgres'): Promise<Proxy> {
    const u = new URL(target === 'redis' ? this.services.redisUrl : this.services.postgresUrl);
    const proxy = await startProxy(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port || (target === 'redis' ? 6379 : 5432)));
    this.perTest.push(proxy);
    return proxy;
  }

  /** Runs `fn` and returns what it sent to Postgres (observed pools) and Redis (this database). */
  async watch<T>(fn: () => Promise<T>): Promise<Watched<T>> {
    // Opened at the first watch: a file that never watches (and the bench) runs unobserved by MONITOR.
    this.monitor ??= RedisMonitor.open(this.services.redisUrl);
    const monitor = await this.monitor;
    // MONITOR reports asynchronously: a marker before and after brackets exactly what ran in between.
    const redisStart = await this.mark();
    const sqlStart = this.sql.length;
    const result = await fn();
    const redisEnd = await this.mark();
    const redis = monitor.seen
      .slice(redisStart + 1, redisEnd)
      .filter((c) => c.db === this.claimedDb && !this.harnessAddresses.has(c.client));
    return { result, sql: this.sql.slice(sqlStart), redis };
  }

  /** Sends a marker through the harness's client; resolves with its index in the monitor's log. */
  private async mark(): Promise<number> {
    const marker = `course-mark-${this.token}-${(this.markers += 1)}`;
    await this.redis.echo(marker);
    const monitor = await this.monitor!;
    await monitor.waitFor(marker);
    return monitor.seen.findIndex((c) => c.args[0] === 'ECHO' && c.args[1] === marker);
  }

  /** Registers something to close when the file ends. */
  onFileEnd(resource: { close(): Promise<void> }): void {
    this.perFile.push(resource);
  }

  async closeTestResources(): Promise<void> {
    const resources = this.perTest.splice(0);
    await Promise.allSettled(resources.map((r) => withDeadline(r.close(), 3000)));
  }

  async close(): Promise<void> {
    await this.closeTestResources();
    await Promise.allSettled(this.perFile.splice(0).map((r) => withDeadline(r.close(), 3000)));
    if (this.monitor) (await this.monitor.catch(() => undefined))?.close();
    if (this.harnessCache?.isOpen) {
      const cache = this.harnessCache;
      await cache.sendCommand(['ACL', 'DELUSER', this.learnerUser]).catch(() => {});
      if (this.claimedDb >= 0) await cache.eval(RELEASE, { keys: [OWNER_KEY], arguments: [this.token] }).catch(() => {});
      cache.destroy();
    }
    if (this.harnessDb) await endPool(this.harnessDb);
    if (this.admin) {
      if (this.dropOnClose) await this.admin.query(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`).catch(() => {});
      await this.admin.end().catch(() => {});
    }
    if (this.noteName) rmSync(this.openNote, { force: true });
  }
}

/** Ends a pool even when the code under check kept clients checked out (pool.end() would wait forever). */
export async function endPool(pool: pg.Pool): Promise<void> {
  const internal = pool as unknown as { _clients?: { connection?: { stream?: { destroy(): void } } }[] };
  const ending = pool.end().catch(() => {});
  const done = await Promise.race([ending.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))]);
  if (!done) for (const client of internal._clients ?? []) client.connection?.stream?.destroy();
}

function withDeadline(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
}

/**
 * Declares the hooks of one check file and returns its Course: opened before the first check,
 * reset before each, and torn down (database dropped, Redis released) after the last.
 */
export function useCourse(exerciseId: string): Course {
  const course = new Course(exerciseId);
  beforeAll(() => course.open(), 30_000);
  beforeEach(() => course.reset());
  afterEach(() => course.closeTestResources());
  afterAll(() => course.close(), 30_000);
  return course;
}
