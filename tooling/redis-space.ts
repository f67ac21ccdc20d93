// One check file's Redis space: a logical database (1–15, never 0) claimed only while empty and
// marked with an owner key, and an ACL user for the learner's code confined to that database.
// Nothing is wiped unless the owner mark is still this file's own.
import type { Cache } from '../lib/stores.ts';
import { OWNER_KEY } from './run-names.ts';

// Every logical database is probed from inside one script (SELECT in a script changes only the
// script's database): no other client's MONITOR sees a claim as commands sent in its database.
// A database that already carries this owner's mark is taken back first (a kept check process
// that replaced a frozen one, see checks/harness/course.ts).
const CLAIM = `for db = 1, 15 do
  redis.call('SELECT', db)
  if redis.call('GET', KEYS[1]) == ARGV[1] then return db end
end
for db = 1, 15 do
  redis.call('SELECT', db)
  if redis.call('DBSIZE') == 0 then redis.call('SET', KEYS[1], ARGV[1]) return db end
end
return 0`;
// Wipes the database only while it still carries our owner key (or holds nothing at all).
const WIPE = `local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] or (owner == false and redis.call('DBSIZE') == 0) then
  redis.call('FLUSHDB') redis.call('SET', KEYS[1], ARGV[1]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('FLUSHDB') return 1 end return 0`;

/**
 * What the learner's user may run: every command of its own database (FLUSHDB and KEYS
 * included, as the lessons warn against them, not the sandbox), and nothing that reaches
 * another database, the server or other clients. Commands a script calls meet the same rules.
 */
export function learnerRules(db: number): string[] {
  return [
    'resetchannels',
    '&*',
    'resetkeys',
    '~*',
    '-@all',
    '+@all',
    '-@dangerous',
    '+flushdb',
    '+keys',
    '+info',
    '+sort',
    '+sort_ro',
    // Its own database only: SELECT of it (which node-redis sends on connect), nothing that crosses.
    '-select',
    `+select|${db}`,
    '-move',
    '-copy',
    '-swapdb',
    // Server-wide state: functions and the script cache belong to every user of the server.
    '-function',
    '+function|list',
    '-script|flush',
    '-script|kill',
    '-client|kill',
    '-client|pause',
    '-client|unpause',
    '-client|no-evict',
    '-client|list',
  ];
}

export class RedisSpace {
  private claimed = -1;

  constructor(
    private readonly admin: Cache,
    private readonly token: string,
    readonly user: string,
    readonly password: string,
  ) {}

  get db(): number {
    return this.claimed;
  }

  /** Claims the first empty logical database from 1 to 15, atomically; false when none is empty. */
  async claim(): Promise<boolean> {
    const db = Number(await this.admin.eval(CLAIM, { keys: [OWNER_KEY], arguments: [this.token] }));
    if (db < 1) return false;
    await this.admin.select(db);
    this.claimed = db;
    return true;
  }

  /** Makes (or resets) the learner's user: its password, this database, the rules above. */
  async grant(): Promise<void> {
    await this.admin.sendCommand([
      'ACL',
      'SETUSER',
      this.user,
      'reset',
      'on',
      `>${this.password}`,
      ...learnerRules(this.claimed),
    ]);
  }

  /** Makes the learner's user lose the right to run these commands: each is answered NOPERM. */
  async deny(commands: readonly string[]): Promise<void> {
    await this.admin.sendCommand(['ACL', 'SETUSER', this.user, ...commands.map((c) => `-${c.toLowerCase()}`)]);
  }

  /** Empties the database if it is still ours; false when the owner mark is gone or another's. */
  async wipe(): Promise<boolean> {
    return Number(await this.admin.eval(WIPE, { keys: [OWNER_KEY], arguments: [this.token] })) === 1;
  }

  /** Deletes the learner's user and empties the database, if it is still ours. */
  async release(): Promise<void> {
    await this.admin.sendCommand(['ACL', 'DELUSER', this.user]).catch(() => {});
    if (this.claimed >= 0)
      await this.admin.eval(RELEASE, { keys: [OWNER_KEY], arguments: [this.token] }).catch(() => {});
  }
}
