import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeRedis } from './harness/observe.ts';
import { SCRIPT_COMMANDS, setsValueWithExpiry, type SeenCommand } from './harness/redis-monitor.ts';
import { call, demand, show } from './harness/teach.ts';
import { sleep } from './harness/wait.ts';

type Module = typeof import('../solutions/08-rate-limit/rate-limit.ts');
type HitResult = Awaited<ReturnType<Module['hit']>>;

const course = useCourse('08');
const { hit } = await course.load<Module>();

const INCREMENTS = new Set(['INCR', 'INCRBY', 'INCRBYFLOAT']);

function setsExpiry(c: SeenCommand, key: string): boolean {
  const [name = '', target] = c.args;
  if (target !== key) return false;
  return ['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT'].includes(name) || setsValueWithExpiry(c);
}

/**
 * Each INCR of `key` that did not travel with its expiry: outside MULTI…EXEC, or in a transaction
 * with no EXPIRE of the key. Commands a Lua script runs are atomic with each other and always pass.
 */
function unguardedIncrements(commands: SeenCommand[], key: string): string[] {
  const problems: string[] = [];
  const open = new Map<string, SeenCommand[]>();
  for (const c of commands) {
    const name = c.args[0] ?? '';
    if (c.client === 'lua' || SCRIPT_COMMANDS.has(name)) continue;
    if (name === 'MULTI') {
      open.set(c.client, []);
      continue;
    }
    if (name === 'EXEC' || name === 'DISCARD') {
      const block = open.get(c.client) ?? [];
      open.delete(c.client);
      if (
        block.some((b) => INCREMENTS.has(b.args[0] ?? '') && b.args[1] === key) &&
        !block.some((b) => setsExpiry(b, key))
      ) {
        problems.push(`a MULTI…EXEC with ${block.map((b) => b.args.join(' ')).join('; ')} but no EXPIRE of ${key}`);
      }
      continue;
    }
    const block = open.get(c.client);
    if (block) {
      block.push(c);
      continue;
    }
    if (INCREMENTS.has(name) && c.args[1] === key)
      problems.push(`${c.args.join(' ')} sent on its own, outside MULTI…EXEC`);
  }
  return problems;
}

function table(results: HitResult[]): string {
  return results.map((r, i) => `hit ${i + 1}: ${show(r)}`).join('\n          ');
}

describe('08 · a fixed-window rate limiter', () => {
  it('allows up to the limit, then refuses, with remaining and retryAfterSeconds', async () => {
    const stores = await course.stores();
    const results: HitResult[] = [];
    const knock = async (i: number) =>
      results.push(await call(`hit(cache, "api", 3, 60), request ${i}`, () => hit(stores.cache, 'api', 3, 60)));
    for (let i = 1; i <= 3; i += 1) await knock(i);
    const window = await course.redis.pTTL('rate:api');
    // The window moved to 30.9 s left, so that rounding down and rounding up differ for the next
    // 900 ms whatever the time the hits above took: the two refused hits come right after.
    if (window > 0) await course.redis.pExpire('rate:api', 30_900);
    for (let i = 4; i <= 5; i += 1) await knock(i);
    const msLeft = await course.redis.pTTL('rate:api');
    demand(
      window > 55_000 && window <= 60_000,
      'rate:api counting a window of 60 s, the windowSeconds given (EXPIRE takes seconds; PEXPIRE would need 60000)',
      window === -2
        ? `rate:api does not exist after the hits; keys present: ${show(await course.redis.keys('*'))}`
        : window === -1
          ? 'rate:api has no TTL'
          : `rate:api has ${window} ms left`,
    );
    const allowed = results.map((r) => r.allowed);
    demand(
      allowed.join() === 'true,true,true,false,false',
      'with limit 3, the first 3 hits allowed and the next 2 refused',
      table(results),
    );
    const remaining = results.map((r) => r.remaining);
    demand(
      remaining.join() === '2,1,0,0,0',
      'remaining to count down 2, 1, 0 and stay at 0 once refused (never negative)',
      table(results),
    );
    demand(
      results.slice(0, 3).every((r) => r.retryAfterSeconds === 0),
      'retryAfterSeconds 0 for an allowed hit',
      table(results),
    );
    demand(
      results
        .slice(3)
        .every(
          (r) =>
            Number.isInteger(r.retryAfterSeconds) &&
            r.retryAfterSeconds >= Math.ceil(msLeft / 1000) &&
            r.retryAfterSeconds <= 60,
        ),
      `retryAfterSeconds, when refused, to be the whole seconds until the 60 s window resets, rounded up: the counter still had ${msLeft} ms to live after these hits, so at least ${Math.ceil(msLeft / 1000)} (Math.ceil(pttl / 1000); rounding down would send the client back just before the reset)`,
      table(results),
    );
  });

  it('allows exactly 10 of 100 concurrent hits with limit 10', async () => {
    const stores = await course.stores();
    // Interleaved with 100 hits of another client, all at once: each counter on its own.
    const both = await call('100 concurrent hit(cache, "burst", 10, 60), interleaved with 100 for "other"', () =>
      Promise.all(Array.from({ length: 200 }, (_, i) => hit(stores.cache, i % 2 === 0 ? 'burst' : 'other', 10, 60))),
    );
    const results = both.filter((_, i) => i % 2 === 0);
    const others = both.filter((_, i) => i % 2 === 1).filter((r) => r.allowed).length;
    demand(
      others === 10,
      'exactly 10 of the 100 concurrent hits of "other" allowed too: its counter rate:other is its own',
      `${others} allowed; rate:other = ${show(await course.redis.get('rate:other'))}`,
    );
    const allowed = results.filter((r) => r.allowed);
    demand(
      allowed.length === 10,
      'exactly 10 allowed: INCR is atomic, so 100 concurrent hits get the numbers 1 to 100 and only 1 to 10 pass (reading the count, then writing it back, lets concurrent hits see the same number)',
      `${allowed.length} allowed; Redis now holds rate:burst = ${show(await course.redis.get('rate:burst'))}`,
    );
    const negative = results.filter((r) => r.remaining < 0);
    demand(
      negative.length === 0,
      'remaining never negative',
      `${negative.length} results with a negative remaining, e.g. ${show(negative[0])}`,
    );
    const sets = new Set(allowed.map((r) => r.remaining));
    demand(
      sets.size === 10 && [...sets].every((n) => n >= 0 && n <= 9),
      'the 10 allowed hits to report remaining 9, 8, …, 0, each once',
      `remaining of the allowed hits: ${allowed
        .map((r) => r.remaining)
        .sort((a, b) => b - a)
        .join(', ')}`,
    );
  });

  it('counts and sets the expiry in one atomic step (MULTI…EXEC or a script)', async () => {
    const stores = await course.stores();
    const { redis } = await course.watch(async () => {
      for (let i = 0; i < 3; i += 1) await call('hit(cache, "api", 2, 60)', () => hit(stores.cache, 'api', 2, 60));
    });
    const counted = redis.some((c) => INCREMENTS.has(c.args[0] ?? '') && c.args[1] === 'rate:api');
    demand(counted, 'the hits counted with INCR on rate:api', describeRedis(redis));
    const problems = unguardedIncrements(redis, 'rate:api');
    demand(
      problems.length === 0,
      'every INCR of rate:api sent together with its EXPIRE, in one MULTI…EXEC (or inside a Lua script): INCR then EXPIRE as two separate steps leaves a counter without a TTL if the process dies in between, and that client stays locked out forever',
      `${problems[0]}\n        All commands: ${describeRedis(redis).replace(/\n/g, '\n        ')}`,
    );
  });

  it('never leaves a counter without a TTL', async () => {
    const stores = await course.stores();
    for (let i = 0; i < 6; i += 1) {
      await call('hit(cache, "api", 3, 60)', () => hit(stores.cache, 'api', 3, 60));
      const ttl = await course.redis.ttl('rate:api');
      demand(
        ttl >= 1 && ttl <= 60,
        `rate:api to exist with a TTL within the 60 s window after every hit`,
        ttl === -1
          ? `after hit ${i + 1}, rate:api has no TTL: it would never expire and the client would be refused forever`
          : ttl === -2
            ? `after hit ${i + 1}, rate:api does not exist; keys present: ${show(await course.redis.keys('rate:*'))}`
            : `after hit ${i + 1}, TTL ${ttl} s`,
      );
    }
  });

  it('starts a new window once the old one ends, even while the client keeps knocking', async () => {
    const stores = await course.stores();
    const first: HitResult[] = [];
    for (let i = 0; i < 3; i += 1)
      first.push(await call('hit(cache, "api", 2, 1)', () => hit(stores.cache, 'api', 2, 1)));
    demand(
      first.map((r) => r.allowed).join() === 'true,true,false',
      'with limit 2 and a 1 s window, 2 hits allowed and the third refused',
      table(first),
    );
    demand(
      first[2]!.retryAfterSeconds === 1,
      'retryAfterSeconds 1 for a hit refused in a 1 s window: less than a second is left, rounded up, and never 0 (at least 1)',
      table(first),
    );
    // A refused client retries every 100 ms. A fixed window ends 1 s after its first hit, whatever
    // happens in between; pushing the expiry forward on every hit would lock the client out.
    const started = performance.now();
    let last = first[2]!;
    while (!last.allowed && performance.now() - started < 4000) {
      await sleep(100);
      last = await call('hit(cache, "api", 2, 1) again', () => hit(stores.cache, 'api', 2, 1));
      demand(
        last.allowed || last.retryAfterSeconds === 1,
        'retryAfterSeconds 1 for every hit refused in a 1 s window (at least 1, rounded up)',
        show(last),
      );
    }
    demand(
      last.allowed,
      "a hit allowed again about 1 s after the window started: set the expiry only at the window's first hit (EXPIRE … NX), so later hits do not push its end away",
      `still refused after 4 s of retries every 100 ms; rate:api = ${show(await course.redis.get('rate:api'))} with PTTL ${await course.redis.pTTL('rate:api')} ms`,
    );
  });

  it('keeps each key in its own counter', async () => {
    const stores = await course.stores();
    const alice1 = await call('hit(cache, "alice", 1, 60)', () => hit(stores.cache, 'alice', 1, 60));
    const alice2 = await call('hit(cache, "alice", 1, 60) again', () => hit(stores.cache, 'alice', 1, 60));
    const bob = await call('hit(cache, "bob", 1, 60)', () => hit(stores.cache, 'bob', 1, 60));
    demand(
      alice1.allowed && !alice2.allowed,
      "with limit 1, alice's first hit allowed and her second refused",
      `${show(alice1)}, then ${show(alice2)}`,
    );
    demand(bob.allowed, 'bob allowed: alice using up her limit must not touch his', show(bob));
    const [a, b] = await Promise.all([course.redis.get('rate:alice'), course.redis.get('rate:bob')]);
    demand(
      a === '2' && b === '1',
      'the counters rate:alice = 2 and rate:bob = 1',
      `rate:alice = ${show(a)}, rate:bob = ${show(b)}; keys: ${show(await course.redis.keys('rate:*'))}`,
    );
  });
});
