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
    // Before each refused hit the window is moved to 30.4 s left: for the next 400 ms, rounding up
    // gives 31, while rounding down (or TTL, which rounds to the nearest second) gives 30.
    const leftAfter: number[] = [];
    for (let i = 4; i <= 5; i += 1) {
      if (window > 0) await course.redis.pExpire('rate:api', 30_400);
      await knock(i);
      leftAfter.push(await course.redis.pTTL('rate:api'));
    }
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
    const refused = results.slice(3).map((r, i) => ({ r, least: Math.ceil(leftAfter[i]! / 1000) }));
    demand(
      refused.every(
        ({ r, least }) =>
          Number.isInteger(r.retryAfterSeconds) && r.retryAfterSeconds >= least && r.retryAfterSeconds <= 31,
      ),
      `retryAfterSeconds, when refused, to be the whole seconds left until the window resets, read from the counter's TTL and rounded up: just before each refused hit rate:api had 30.4 s left (${leftAfter.join(' and ')} ms just after), so 31 (Math.ceil(pttl / 1000); rounding down, or TTL's rounding to the nearest second, gives 30 and sends the client back just before the reset; the whole window, 60, makes it wait for nothing)`,
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
      // Half-way, the counter goes (an operator lifting a block, a flush): the next hit opens a new window.
      const deleted = i === 3 && (await course.redis.del('rate:api')) === 1;
      await call(`hit(cache, "api", 3, 60)${deleted ? ' right after rate:api was deleted' : ''}`, () =>
        hit(stores.cache, 'api', 3, 60),
      );
      const ttl = await course.redis.ttl('rate:api');
      const when = `after hit ${i + 1}${i >= 3 ? ' (rate:api was deleted before hit 4)' : ''}`;
      demand(
        ttl >= 1 && ttl <= 60,
        `rate:api to exist with a TTL within the 60 s window after every hit, also the first hit after the counter vanished: every INCR travels with its EXPIRE … NX, which Redis alone decides to apply (what the process remembers about a window is no guide)`,
        ttl === -1
          ? `${when}, rate:api has no TTL: it would never expire and the client would be refused forever`
          : ttl === -2
            ? `${when}, rate:api does not exist; keys present: ${show(await course.redis.keys('rate:*'))}`
            : `${when}, TTL ${ttl} s`,
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

  it('counts every hit in Redis, refused ones too, and lets the client back in once its counter is deleted', async () => {
    const stores = await course.stores();
    const results: HitResult[] = [];
    for (let i = 1; i <= 4; i += 1)
      results.push(await call(`hit(cache, "api", 2, 60), request ${i}`, () => hit(stores.cache, 'api', 2, 60)));
    const count = await course.redis.get('rate:api');
    demand(
      count === '4',
      'rate:api = 4 after 4 hits with limit 2: each call is one request, counted in Redis with INCR, the refused ones too (every server reads that one counter; a refusal remembered in one process is known to no other)',
      `rate:api = ${show(count)}\n          ${table(results)}`,
    );
    await course.redis.del('rate:api');
    const back = await call('hit(cache, "api", 2, 60) right after rate:api was deleted', () =>
      hit(stores.cache, 'api', 2, 60),
    );
    demand(
      back.allowed && back.remaining === 1,
      'the client let straight back in once its counter is deleted (an operator lifting the block): the count lives in Redis alone, so the next hit opens a new window, allowed with remaining 1',
      `${show(back)}; rate:api = ${show(await course.redis.get('rate:api'))}`,
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
    // Keys that only look like "alice" (API keys and tokens are case-sensitive) are other clients.
    const lookalikes = ['Alice', 'ALICE', 'alice ', 'Älice', 'alice*'];
    for (const k of lookalikes) {
      const first = await call(`hit(cache, ${show(k)}, 1, 60)`, () => hit(stores.cache, k, 1, 60));
      demand(
        first.allowed,
        `${show(k)} allowed after alice used up her limit: a key that differs from "alice" in any way (case, a space, a letter outside ASCII, a pattern character) is another client, counted in rate:${k} exactly as given`,
        `${show(first)}; keys: ${show(await course.redis.keys('rate:*'))}`,
      );
    }
    const counts = await Promise.all(lookalikes.map((k) => course.redis.get(`rate:${k}`)));
    demand(
      counts.every((c) => c === '1'),
      `the counters ${lookalikes.map((k) => show(`rate:${k}`)).join(', ')} at 1 each, the key used as given`,
      `${counts.map((c, i) => `rate:${lookalikes[i]} = ${show(c)}`).join(', ')}; keys: ${show(await course.redis.keys('rate:*'))}`,
    );
  });
});
