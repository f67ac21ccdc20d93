import { describe, it, vi } from 'vitest';
import { useCourse } from './harness/course.ts';
import { OWNER_KEY } from '../tooling/run-names.ts';
import { describeRedis } from './harness/observe.ts';
import { SCRIPT_COMMANDS, setsValueWithExpiry, type SeenCommand } from './harness/redis-monitor.ts';
import { call, demand, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';

type Module = typeof import('../solutions/07-sessions/sessions.ts');

const course = useCourse('07');
const { createSession, getSession, destroySession } = await course.load<Module>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many random bits a token can carry, judged from how it is written. */
function randomBits(token: string, alphabet: Set<string>): { bits: number; as: string } {
  if (UUID.test(token)) return { bits: 122, as: 'a UUID, which carries 122 random bits' };
  if (/^[0-9a-fA-F]+$/.test(token))
    return { bits: token.length * 4, as: `${token.length} hex characters, 4 bits each` };
  if (/^[A-Za-z0-9_-]+$/.test(token))
    return { bits: token.length * 6, as: `${token.length} base64url characters, 6 bits each` };
  const body = token.replace(/=+$/, '');
  if (/^[A-Za-z0-9+/]+$/.test(body))
    return { bits: body.length * 6, as: `${body.length} base64 characters, 6 bits each` };
  const perChar = Math.log2(Math.max(alphabet.size, 2));
  return {
    bits: Math.floor(token.length * perChar),
    as: `${token.length} characters from an alphabet of ${alphabet.size}`,
  };
}

const VALUE_WRITES = new Set(['SET', 'SETEX', 'PSETEX', 'SETNX', 'GETSET', 'MSET', 'MSETNX', 'APPEND', 'SETRANGE']);
const EXPIRES = new Set(['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']);

/**
 * Each write of a value to `key` that left it, for a moment, without its TTL: a write with no
 * expiry of its own, outside a Lua script and outside a MULTI…EXEC that also sets the expiry.
 */
function writesWithoutTtl(commands: SeenCommand[], key: string): string[] {
  const writes = (c: SeenCommand) =>
    VALUE_WRITES.has(c.args[0] ?? '') && (c.args[0]?.startsWith('MSET') ? c.args.includes(key) : c.args[1] === key);
  const problems: string[] = [];
  const open = new Map<string, SeenCommand[]>();
  for (const c of commands) {
    const name = c.args[0] ?? '';
    if (c.client === 'lua' || SCRIPT_COMMANDS.has(name)) continue;
    if (name === 'MULTI') open.set(c.client, []);
    else if (name === 'EXEC' || name === 'DISCARD') {
      const block = open.get(c.client) ?? [];
      open.delete(c.client);
      const timed = block.some((b) => EXPIRES.has(b.args[0] ?? '') && b.args[1] === key);
      for (const b of block)
        if (writes(b) && !setsValueWithExpiry(b) && !timed)
          problems.push(`${b.args[0]} ${key} inside a MULTI…EXEC with no expiry for it`);
    } else if (open.has(c.client)) open.get(c.client)!.push(c);
    else if (writes(c) && !setsValueWithExpiry(c)) problems.push(`${name} ${key} with no expiry in the same command`);
  }
  return problems;
}

async function sessionKeys(): Promise<string[]> {
  return (await course.redis.keys('*')).filter((k) => k !== OWNER_KEY);
}

describe('07 · sessions with a sliding expiry', () => {
  it('stores session:<token> as JSON with its TTL and reads it back', async () => {
    const stores = await course.stores();
    const before = Date.now();
    const { result: token, redis } = await course.watch(() =>
      call('createSession(cache, 42, 600)', () => createSession(stores.cache, 42, 600)),
    );
    const after = Date.now();
    demand(
      typeof token === 'string' && token.length > 0,
      'createSession to return the token, a non-empty string',
      show(token),
    );
    const key = `session:${token}`;
    const untimed = writesWithoutTtl(redis, key);
    demand(
      untimed.length === 0,
      `${key} written with its TTL in the same command as the value (SET … EX 600, or SETEX): a SET followed by a separate EXPIRE leaves a session that never expires if the process dies in between`,
      `${untimed[0]}\n        All commands: ${describeRedis(redis).replace(/\n/g, '\n        ')}`,
    );
    const stored = await course.redis.get(key);
    demand(
      stored !== null,
      `the session stored under ${key}`,
      `${key} is missing; keys present: ${show(await sessionKeys())}`,
    );
    const ttl = await course.redis.ttl(key);
    demand(
      ttl >= 590 && ttl <= 600,
      `${key} to expire in 600 s, the ttlSeconds given (an abandoned session must disappear by itself)`,
      ttl === -1 ? 'it has no TTL at all: the session would never expire' : `TTL ${ttl} s`,
    );
    const session = await call(`getSession(cache, ${show(token)})`, () => getSession(stores.cache, token));
    demand(session !== null && session.userId === 42, 'the session back with userId 42', show(session));
    demand(
      typeof session.createdAt === 'number' && session.createdAt >= before - 1000 && session.createdAt <= after + 1000,
      `createdAt to be the moment of creation in milliseconds since the epoch (Date.now(), about ${before})`,
      show(session.createdAt),
    );
  });

  it('draws tokens of at least 128 random bits, all different', async () => {
    const stores = await course.stores();
    const tokens: string[] = [];
    for (let i = 0; i < 200; i += 1)
      tokens.push(await call('createSession(cache, 7, 600)', () => createSession(stores.cache, 7, 600)));
    const alphabet = new Set(tokens.join(''));
    const weakest = tokens.map((t) => ({ token: t, ...randomBits(t, alphabet) })).sort((a, b) => a.bits - b.bits)[0]!;
    demand(
      weakest.bits >= 128,
      'every token to carry at least 128 random bits, e.g. randomBytes(32).toString("base64url"): 43 characters, 256 bits (anyone who can guess a token is logged in as that user)',
      `${show(weakest.token)} is ${weakest.as}: at most ${weakest.bits} bits`,
    );
    const distinct = new Set(tokens).size;
    demand(distinct === tokens.length, '200 sessions to get 200 different tokens', `only ${distinct} different tokens`);
    const stored = (await sessionKeys()).filter((k) => k.startsWith('session:')).length;
    demand(stored === tokens.length, '200 keys session:<token>, one per session', `${stored} session keys`);
  });

  it('draws tokens from a cryptographic generator, not Math.random()', async () => {
    const stores = await course.stores();
    // Math.random() is predictable: whoever sees a few outputs can compute the next. Pinning it
    // shows whether tokens depend on it at all.
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    let tokens: string[];
    try {
      tokens = await call('10 concurrent createSession(cache, 7, 600) while Math.random() always returns 0.5', () =>
        Promise.all(Array.from({ length: 10 }, () => createSession(stores.cache, 7, 600))),
      );
    } finally {
      spy.mockRestore();
    }
    const distinct = new Set(tokens);
    demand(
      distinct.size === tokens.length,
      'different tokens even when Math.random() always returns the same number: draw them from node:crypto (randomBytes), whose output nobody can predict',
      `10 sessions got only ${distinct.size} different token(s), e.g. ${show(tokens[0])}`,
    );
  });

  it('slides the expiry on every read', async () => {
    const stores = await course.stores();
    const token = await call('createSession(cache, 42, 900)', () => createSession(stores.cache, 42, 900));
    const created = Date.now();
    const key = `session:${token}`;
    await course.redis.expire(key, 5);
    // Later than the creation by a clear margin: a read must still say when the session began.
    await sleep(30);
    const session = await call(`getSession(cache, token) when ${key} has 5 s left`, () =>
      getSession(stores.cache, token),
    );
    demand(
      session !== null && session.userId === 42,
      'the session (userId 42), still alive with 5 s left',
      show(session),
    );
    demand(
      session.createdAt <= created,
      `createdAt to stay the moment the session was created (at most ${created}): sliding renews the TTL, not the session`,
      `createdAt ${session.createdAt}, ${session.createdAt - created} ms after createSession returned`,
    );
    const ttl = await course.redis.ttl(key);
    demand(
      ttl >= 890 && ttl <= 900,
      `reading the session to push its expiry back to the full 900 s, the ttlSeconds it was created with (sliding expiry: a session ends after 900 s of inactivity, not 900 s after login)`,
      ttl === 5 || ttl === 4
        ? `TTL still ${ttl} s: the read did not touch the expiry`
        : ttl === -1
          ? 'the key lost its TTL: the session would never expire'
          : ttl === -2
            ? `${key} is gone right after the read: it expired at once (an expiry in milliseconds, PEXPIRE, where seconds were meant?)`
            : `TTL ${ttl} s`,
    );
  });

  it('returns null for an expired session', async () => {
    const stores = await course.stores();
    const token = await call('createSession(cache, 42, 600)', () => createSession(stores.cache, 42, 600));
    const key = `session:${token}`;
    await course.redis.pExpire(key, 1);
    await waitUntil(async () => (await course.redis.exists(key)) === 0, 1000);
    const session = await call(`getSession(cache, token) after ${key} expired`, () => getSession(stores.cache, token));
    demand(session === null, 'null once the session has expired', show(session));
  });

  it('destroySession logs out: the key is gone and the token reads as null', async () => {
    const stores = await course.stores();
    const token = await call('createSession(cache, 42, 600)', () => createSession(stores.cache, 42, 600));
    const other = await call('createSession(cache, 43, 600)', () => createSession(stores.cache, 43, 600));
    await call('destroySession(cache, token)', () => destroySession(stores.cache, token));
    const exists = await course.redis.exists(`session:${token}`);
    demand(
      exists === 0,
      `session:<token> deleted by destroySession`,
      `it still exists: ${show(await course.redis.get(`session:${token}`))}`,
    );
    const session = await call('getSession(cache, token) after destroySession', () => getSession(stores.cache, token));
    demand(session === null, 'null for a destroyed session', show(session));
    const kept = await course.redis.exists(`session:${other}`);
    demand(kept === 1, "the other user's session left alone", 'it was deleted too');
    await call('destroySession(cache, token) a second time', () => destroySession(stores.cache, token));
  });

  it('returns null for tampered, empty or foreign tokens, and for a value that does not parse', async () => {
    const stores = await course.stores();
    const token = await call('createSession(cache, 42, 600)', () => createSession(stores.cache, 42, 600));
    const last = token.at(-1);
    const tampered = [
      { what: 'the token with its last character changed', token: `${token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}` },
      { what: 'the token with its first character changed', token: `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}` },
      { what: 'the token with a character added', token: `${token}A` },
      { what: 'the token cut short', token: token.slice(0, -2) },
      { what: 'the empty string', token: '' },
      { what: 'a token of another format', token: 'not-a-token' },
      { what: 'a key pattern', token: '*' },
      { what: 'a user id', token: '42' },
    ];
    for (const t of tampered) {
      const session = await call(`getSession(cache, ${show(t.token)}), ${t.what}`, () =>
        getSession(stores.cache, t.token),
      );
      demand(session === null, `null for ${t.what}: a token is valid only exactly as it was issued`, show(session));
    }
    // A value nobody can read is "no session", never an exception in the middle of a request.
    const garbled = await call('createSession(cache, 43, 600)', () => createSession(stores.cache, 43, 600));
    await course.redis.set(`session:${garbled}`, '{"userId": 43, "createdAt', { EX: 600 });
    const session = await call(`getSession(cache, token) when session:<token> holds broken JSON`, () =>
      getSession(stores.cache, garbled),
    );
    demand(session === null, 'null for a stored value that does not parse', show(session));
  });
});
