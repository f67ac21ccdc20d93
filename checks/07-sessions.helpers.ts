// What the checks of exercise 07 judge tokens and writes by, and a line to Redis that can hold
// the code's next command back, so that a logout lands exactly between a read and its slide.
import { connect, createServer, type Socket } from 'node:net';
import { SCRIPT_COMMANDS, setsValueWithExpiry, type SeenCommand } from './harness/redis-monitor.ts';
import { listenLocally, urlThrough } from './harness/local-listen.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many random bits a token can carry, judged from how it is written. */
export function randomBits(token: string, alphabet: Set<string>): { bits: number; as: string } {
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

/** `token` with every letter's case changed: a different token (for any token with a letter in it). */
export function swapCase(token: string): string {
  return [...token].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** What a TTL read after a slide says, for a session that had `before` seconds left. */
export function ttlSeen(ttl: number, before: number, key: string): string {
  if (ttl === before || ttl === before - 1) return `TTL still ${ttl} s: the read did not touch the expiry`;
  if (ttl === -1) return 'the key lost its TTL: the session would never expire';
  if (ttl === -2)
    return `${key} is gone right after the read: it expired at once (an expiry in milliseconds, PEXPIRE, where seconds were meant?)`;
  return `TTL ${ttl} s`;
}

/** Stored values that parse as JSON but are no whole session, whatever shape the code stores. */
export const NOT_SESSIONS = [
  'null',
  '42',
  '"ada"',
  '[]',
  '{}',
  JSON.stringify({ createdAt: 1_700_000_000_000, ttlSeconds: 600 }),
  JSON.stringify({ userId: 43, ttlSeconds: 600 }),
  JSON.stringify({ userId: 43, createdAt: 1_700_000_000_000 }),
];

const VALUE_WRITES = new Set(['SET', 'SETEX', 'PSETEX', 'SETNX', 'GETSET', 'MSET', 'MSETNX', 'APPEND', 'SETRANGE']);
const EXPIRES = new Set(['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']);

/**
 * Each write of a value to `key` that left it, for a moment, without its TTL: a write with no
 * expiry of its own, outside a Lua script and outside a MULTI…EXEC that also sets the expiry.
 */
export function writesWithoutTtl(commands: SeenCommand[], key: string): string[] {
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

export interface HoldingLine {
  /** The Redis URL (credentials, database) rewritten to pass through this line. */
  readonly url: string;
  /**
   * Resolves once Redis has answered the next command sent through the line; from then on, what
   * the client sends waits in the line until release(): its next command has not reached Redis.
   */
  holdAfterNextReply(): Promise<void>;
  /** Lets what was held, and everything after it, through. */
  release(): void;
  close(): Promise<void>;
}

/** A line to the Redis at `redisUrl` (the file's gate) that can hold a client's next command back. */
export async function holdingLine(redisUrl: string): Promise<HoldingLine> {
  const target = new URL(redisUrl);
  const sockets = new Set<Socket>();
  let armed: (() => void) | undefined;
  let holding = false;
  const held: { upstream: Socket; chunk: Buffer }[] = [];
  const server = createServer((client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => (holding ? held.push({ upstream, chunk }) : upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (!armed) return;
      holding = true;
      armed();
      armed = undefined;
    });
  });
  const port = await listenLocally(server);
  return {
    url: urlThrough(redisUrl, port),
    holdAfterNextReply: () => new Promise<void>((resolve) => (armed = resolve)),
    release() {
      holding = false;
      for (const { upstream, chunk } of held.splice(0)) upstream.write(chunk);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
