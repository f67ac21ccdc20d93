// One check file's Redis: the harness's own client on a logical database it claimed, the
// learner's ACL user confined to it, and MONITOR (opened at the first watch) to see what the
// learner's code sent there.
import { randomBytes } from 'node:crypto';
import { redisClient } from './redis-client.ts';
import type { Cache } from '../../lib/stores.ts';
import { RedisSpace } from '../../tooling/redis-space.ts';
import { liveName, redisUserName } from '../../tooling/run-names.ts';
import { redact } from '../../tooling/services.ts';
import { RedisMonitor, SCRIPT_COMMANDS, type SeenCommand } from './redis-monitor.ts';
import { CheckFailure } from './teach.ts';

/**
 * The address of every harness client this process has made: an earlier check file's client can
 * still be giving its database back (its last marker, its release) when a later file of the same
 * worker has taken that database again, and none of that is the learner's traffic.
 */
const harnessAddresses = new Set<string>();

export class RunRedis {
  private client?: Cache;
  private claimed?: RedisSpace;
  private monitor?: Promise<RedisMonitor>;
  private markers = 0;

  constructor(
    private readonly redisUrl: string,
    private readonly runId: string,
    /** The owner mark: starts with the run's id, so the run's teardown can release what a crashed file left. */
    private readonly token: string,
    private readonly key: string,
  ) {}

  /** The harness's own client on this file's logical database (not observed). */
  get redis(): Cache {
    if (!this.client) throw new Error('course not open yet');
    return this.client;
  }

  get space(): RedisSpace {
    if (!this.claimed) throw new Error('course not open yet');
    return this.claimed;
  }

  async open(): Promise<void> {
    const cache: Cache = redisClient({
      url: this.redisUrl,
      name: liveName(this.runId),
      socket: { connectTimeout: 5000, reconnectStrategy: (n) => (n > 20 ? false : 100) },
    });
    cache.on('error', () => {});
    await cache.connect();
    this.client = cache;
    const space = new RedisSpace(
      cache,
      this.token,
      redisUserName(this.runId, this.key),
      randomBytes(16).toString('hex'),
    );
    this.claimed = space;
    if (!(await space.claim())) {
      throw new CheckFailure(
        `The checks keep their Redis data in an empty logical database (1–15) of their own, and never touch one that holds keys.\n` +
          `Every database from 1 to 15 on ${redact(this.redisUrl)} holds keys, so there is none to claim.\n` +
          `Point REDIS_URL at a Redis you use for this course (docker compose up -d gives one), or free a database.`,
      );
    }
    harnessAddresses.add(/(?:^|\s)addr=(\S+)/.exec(String(await cache.sendCommand(['CLIENT', 'INFO'])))?.[1] ?? '');
    try {
      await space.grant();
    } catch (error) {
      throw new CheckFailure(
        `The checks give your code a Redis user of its own (ACL SETUSER), confined to database ${space.db}.\n` +
          `Redis at ${redact(this.redisUrl)} refused: ${(error as Error).message}\nUse a Redis 7 where the REDIS_URL user may manage ACLs (the default user of a local or docker Redis can).`,
      );
    }
  }

  /** Empties the database and gives the learner's user back its rights; refuses when the owner mark is gone. */
  async reset(): Promise<void> {
    if (!(await this.space.wipe())) {
      throw new CheckFailure(
        `Redis database ${this.space.db} no longer carries this run's owner mark, so the checks will not wipe it: ` +
          `something else may be using it now. Did the code under check delete the key course:check-owner, or run FLUSHDB?`,
      );
    }
    await this.space.grant();
    if (this.monitor) (await this.monitor.catch(() => undefined))?.forget();
  }

  /**
   * Starts seeing commands; resolves with a function that returns what ran in this database
   * since, the harness's own traffic excluded, with the commands of the scripts those sent.
   * (Other course clients never send commands in a database they do not hold: they claim and
   * sweep from inside scripts, and a script's own commands count only after an EVAL that does.)
   */
  async watch(): Promise<() => Promise<SeenCommand[]>> {
    // Opened at the first watch: a file that never watches runs unobserved by MONITOR.
    this.monitor ??= RedisMonitor.open(this.redisUrl);
    const monitor = await this.monitor;
    // MONITOR reports asynchronously: a marker before and after brackets exactly what ran in between.
    const start = await this.mark(monitor);
    return async () => {
      const end = await this.mark(monitor);
      const seen: SeenCommand[] = [];
      // A script's own commands follow its EVAL (or FCALL) at once: Redis runs them in one go.
      let inCountedScript = false;
      for (const c of monitor.seen.slice(start + 1, end)) {
        if (c.client === 'lua') {
          if (inCountedScript && c.db === this.space.db) seen.push(c);
          continue;
        }
        const counted = c.db === this.space.db && !harnessAddresses.has(c.client);
        inCountedScript = counted && SCRIPT_COMMANDS.has(c.args[0] ?? '');
        if (counted) seen.push(c);
      }
      return seen;
    };
  }

  /** Sends a marker through the harness's client; resolves with its index in the monitor's log. */
  private async mark(monitor: RedisMonitor): Promise<number> {
    const marker = `course-mark-${this.token}-${(this.markers += 1)}`;
    await this.redis.echo(marker);
    await monitor.waitFor(marker);
    return monitor.seen.findIndex((c) => c.args[0] === 'ECHO' && c.args[1] === marker);
  }

  async close(): Promise<void> {
    if (this.monitor) (await this.monitor.catch(() => undefined))?.close();
    if (this.client?.isOpen) {
      await this.claimed?.release();
      this.client.destroy();
    }
  }
}
