// Small helpers the check files share: seed rows, and describe what the code sent.
import type { User } from '../../lib/stores.ts';
import type { Course, SqlStatement } from './course.ts';
import type { SeenCommand } from './redis-monitor.ts';

/** Inserts a user directly (not through the code under check) and returns the row. */
export async function addUser(course: Course, name: string, email: string): Promise<User> {
  const { rows } = await course.db.query<User>(
    'INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id, name, email',
    [name, email],
  );
  return rows[0]!;
}

/** Reads a user straight from Postgres. */
export async function userRow(course: Course, id: number): Promise<User | null> {
  const { rows } = await course.db.query<User>('SELECT id, name, email FROM users WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export function describeSql(sql: SqlStatement[]): string {
  if (sql.length === 0) return 'no SQL statement';
  const lines = sql
    .slice(0, 8)
    .map((s) => `  ${oneLine(s.text)}${s.values.length ? `  -- values ${JSON.stringify(s.values)}` : ''}`);
  return `${sql.length} SQL statement(s):\n${lines.join('\n')}${sql.length > 8 ? '\n  …' : ''}`;
}

export function describeRedis(commands: SeenCommand[]): string {
  if (commands.length === 0) return 'no Redis command';
  const lines = commands
    .slice(0, 10)
    .map((c) => `  ${c.args.map((a) => (/^[\w:.-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`);
  return `${commands.length} Redis command(s):\n${lines.join('\n')}${commands.length > 10 ? '\n  …' : ''}`;
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

const WRITES = new Set([
  'SET',
  'SETEX',
  'PSETEX',
  'SETNX',
  'GETSET',
  'EXPIRE',
  'PEXPIRE',
  'EXPIREAT',
  'PEXPIREAT',
  'PERSIST',
  'GETEX',
  'DEL',
  'UNLINK',
  'APPEND',
  'MSET',
]);

/** The commands among `commands` that wrote or re-timed `key`. */
export function writesTo(commands: SeenCommand[], key: string): SeenCommand[] {
  return commands.filter((c) => {
    const name = c.args[0] ?? '';
    if (name === 'MSET') return c.args.some((a, i) => i % 2 === 1 && a === key);
    return WRITES.has(name) && c.args[1] === key;
  });
}

// Of those, the ones that can give a missing key a value (the others only re-time or delete one).
const CREATES = new Set(['SET', 'SETEX', 'PSETEX', 'SETNX', 'GETSET', 'APPEND', 'MSET']);

/** The commands among `commands` that could have put a value in `key` (GETEX or EXPIRE of a missing key puts none). */
export function valuesPutIn(commands: SeenCommand[], key: string): SeenCommand[] {
  return writesTo(commands, key).filter((c) => CREATES.has(c.args[0] ?? ''));
}

/**
 * The commands that wrote `key`, a key missing when they began: what re-timed or deleted it
 * before anything put a value there had no effect (a GETEX or EXPIRE of a missing key) and is left out.
 */
export function writesOnceThere(commands: SeenCommand[], key: string): SeenCommand[] {
  const writes = writesTo(commands, key);
  const first = writes.findIndex((c) => CREATES.has(c.args[0] ?? ''));
  return first < 0 ? [] : writes.slice(first);
}

/** Upper-cased command names, e.g. ['GET', 'SET']. */
export function names(commands: SeenCommand[]): string[] {
  return commands.map((c) => c.args[0] ?? '');
}

/** A cached value read as JSON: undefined for a missing key or text that is not JSON. */
export function parseCached(text: string | null): unknown {
  try {
    return text === null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
