// Helpers of checks/09-job-queue.check.ts: what the lists hold, which commands took a job, and
// which connections the learner's code left open.
import type { Course } from './harness/course.ts';
import { OWNER_KEY } from '../tooling/run-names.ts';
import { learnerConnections, type RedisConnection } from './harness/redis-clients.ts';
import { SCRIPT_COMMANDS, type SeenCommand } from './harness/redis-monitor.ts';
import { errorText, isTodo, show, whereThrown, type Settled } from './harness/teach.ts';
import { waitUntil } from './harness/wait.ts';

/** The keys of this file's Redis database, each with its type. */
export async function keysPresent(course: Course): Promise<string> {
  const keys = (await course.redis.keys('*')).filter((k) => k !== OWNER_KEY);
  const described = await Promise.all(keys.map(async (k) => `${k} (${await course.redis.type(k)})`));
  return described.length ? described.join(', ') : 'none';
}

/** A list's items from left to right, each parsed as JSON where it parses. */
export async function listed(course: Course, key: string): Promise<unknown[]> {
  if ((await course.redis.type(key)) !== 'list') return [];
  return (await course.redis.lRange(key, 0, -1)).map((raw) => {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  });
}

const POPS = new Set(['RPOP', 'LPOP', 'BRPOP', 'BLPOP', 'LMPOP', 'BLMPOP']);
const MOVES = new Set(['LMOVE', 'BLMOVE', 'RPOPLPUSH', 'BRPOPLPUSH']);

/**
 * Each command that took a job out of `queue` without filing it in `<queue>:processing` in the
 * same step: a pop, or a move elsewhere, outside a Lua script and outside MULTI…EXEC.
 */
export function unsafeTakes(commands: SeenCommand[], queue: string): string[] {
  const inMulti = new Set<string>();
  const problems: string[] = [];
  for (const c of commands) {
    const [name = '', ...rest] = c.args;
    if (c.client === 'lua' || SCRIPT_COMMANDS.has(name)) continue;
    if (name === 'MULTI') inMulti.add(c.client);
    else if (name === 'EXEC' || name === 'DISCARD') inMulti.delete(c.client);
    else if (inMulti.has(c.client)) continue;
    else if (POPS.has(name) && rest.includes(queue)) problems.push(c.args.join(' '));
    else if (MOVES.has(name) && rest[0] === queue && rest[1] !== `${queue}:processing`) problems.push(c.args.join(' '));
  }
  return problems;
}

/** Waits until the learner's Redis connections are back to `count` (a reserve closed its duplicate). */
export async function connectionsBackTo(course: Course, count: number): Promise<RedisConnection[]> {
  let seen: RedisConnection[] = [];
  try {
    await waitUntil(async () => (seen = await learnerConnections(course)).length <= count, 1500);
  } catch {
    // reported by the caller, with the connections seen
  }
  return seen;
}

export function describeOutcome(outcome: Settled<unknown>): string {
  if (outcome.ok) return `it resolved after ${Math.round(outcome.ms)} ms to ${show(outcome.value)}`;
  if (isTodo(outcome.error)) return `it threw the stub's own error, ${errorText(outcome.error)}; write the code first`;
  return `it rejected after ${Math.round(outcome.ms)} ms with ${errorText(outcome.error)}${whereThrown(outcome.error)}`;
}
