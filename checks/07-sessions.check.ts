import { describe, it, vi } from 'vitest';
import { useCourse } from './harness/course.ts';
import { OWNER_KEY } from '../tooling/run-names.ts';
import { describeRedis } from './harness/observe.ts';
import { call, demand, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';
import { loadAnotherInstance } from './harness/another-instance.ts';
import { holdingLine, NOT_SESSIONS, randomBits, swapCase, ttlSeen, writesWithoutTtl } from './07-sessions.helpers.ts';

type Module = typeof import('../solutions/07-sessions/sessions.ts');

const course = useCourse('07');
const { createSession, getSession, destroySession } = await course.load<Module>();

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
    // User ids the session must carry unchanged: 0 is a user like any other, and ids grow large.
    for (const userId of [0, Number.MAX_SAFE_INTEGER]) {
      const other = await call(`createSession(cache, ${userId}, 600)`, () => createSession(stores.cache, userId, 600));
      const back = await call(`getSession(cache, token of user ${userId})`, () => getSession(stores.cache, other));
      demand(
        back !== null && back.userId === userId && typeof back.createdAt === 'number',
        `the live session of user ${userId} back as { userId: ${userId}, createdAt }: a session exists while its key does, whatever the id (a truthiness test such as if (!userId) takes user 0 for "no user")`,
        `${show(back)}; Redis holds ${show(await course.redis.get(`session:${other}`))}`,
      );
    }
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
      ttlSeen(ttl, 5, key),
    );
    // Every read slides: also one right after another, and one that finds most of the time left.
    await course.redis.expire(key, 600);
    const again = await call(`getSession(cache, token) again at once, when ${key} has 600 s of its 900 left`, () =>
      getSession(stores.cache, token),
    );
    const ttlAgain = await course.redis.ttl(key);
    demand(
      again?.userId === 42 && ttlAgain >= 890 && ttlAgain <= 900,
      'the next read, right after, to give the session its full 900 s again too: every successful read asks Redis and renews the TTL (a read answered from memory in the process, or one that renews only when little time is left, lets a session in use expire)',
      `${show(again)}; ${ttlSeen(ttlAgain, 600, key)}`,
    );
  });

  it('reads and slides, in another process, a session this one created, and sees its logout there', async () => {
    const stores = await course.stores();
    // A second server (or this one after a restart) runs the same code: only Redis is shared.
    const other = await call('importing sessions.ts a second time, as another process would', () =>
      loadAnotherInstance<Module>(course),
    );
    const token = await call('createSession(cache, 42, 900)', () => createSession(stores.cache, 42, 900));
    const key = `session:${token}`;
    await course.redis.expire(key, 5);
    const there = await call('getSession(cache, token) in the other process', () =>
      other.getSession(stores.cache, token),
    );
    demand(
      there !== null && there.userId === 42,
      'the other process to find the session (userId 42): whoever holds the token is logged in on every server, so nothing about a session may live only in the memory of the process that created it',
      `${show(there)}, while Redis holds ${key} = ${show(await course.redis.get(key))}`,
    );
    const ttl = await course.redis.ttl(key);
    demand(
      ttl >= 890 && ttl <= 900,
      `the other process's read to give ${key} its full 900 s again: the lifetime travels in the stored JSON, where every process reads it (getSession is not told it)`,
      ttlSeen(ttl, 5, key),
    );
    await call('getSession(cache, token) in this process', () => getSession(stores.cache, token));
    await call('destroySession(cache, token) in the other process', () => other.destroySession(stores.cache, token));
    const after = await call('getSession(cache, token) in this process, after the logout', () =>
      getSession(stores.cache, token),
    );
    demand(
      after === null,
      'null once another process logged the session out: every read asks Redis (an answer kept in memory outlives the logout)',
      `${show(after)}; ${key} exists: ${(await course.redis.exists(key)) === 1}`,
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

    // A logout that lands while another request reads the session: after Redis answered the
    // read's first command, before its next one (the slide) reaches Redis.
    const busy = await call('createSession(cache, 44, 600)', () => createSession(stores.cache, 44, 600));
    const line = await holdingLine(course.redisUrl);
    const reader = await course.learnerCache(line.url);
    try {
      const answered = line.holdAfterNextReply();
      const reading = settle('getSession(cache, token)', () => getSession(reader, busy));
      await Promise.race([answered, reading]);
      await call('destroySession(cache, token) while a getSession is between its read and its slide', () =>
        destroySession(stores.cache, busy),
      );
      line.release();
      await reading;
    } finally {
      reader.destroy();
      await line.close();
    }
    const left = await course.redis.get(`session:${busy}`);
    demand(
      left === null,
      'session:<token> to stay deleted when the logout lands while another request is reading the session (between its read and its slide): a slide renews the TTL of the key that is there (EXPIRE, GETEX) and never writes the session back (SET … EX would bring a destroyed session back to life, with a full TTL)',
      `after the read finished, session:<token> exists again: ${show(left)} with TTL ${await course.redis.ttl(`session:${busy}`)} s`,
    );
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
      { what: 'the token with a space in front', token: ` ${token}` },
      { what: 'the token with a newline after it', token: `${token}\n` },
      { what: 'the token with a no-break space after it', token: `${token}\u00a0` },
      { what: 'the token with its letters in the other case', token: swapCase(token) },
      { what: 'the empty string', token: '' },
      { what: 'a token of another format', token: 'not-a-token' },
      { what: 'a key pattern', token: '*' },
      { what: 'a user id', token: '42' },
    ].filter((t) => t.token !== token);
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
    // JSON that parses but is no whole session: no session either, in whatever shape the code stores.
    for (const text of NOT_SESSIONS) {
      await course.redis.set(`session:${garbled}`, text, { EX: 600 });
      const read = await call(`getSession(cache, token) when session:<token> holds ${text}`, () =>
        getSession(stores.cache, garbled),
      );
      demand(
        read === null,
        `null when session:<token> holds ${text}: a value that is no whole session (not an object, or a field missing) is "no session", never a session with a field undefined`,
        show(read),
      );
    }
  });
});
