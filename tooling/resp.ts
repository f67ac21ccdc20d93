// A few Redis commands for the run's own process (the servers' probe, the run's live connection,
// the release of what runs held), spoken in RESP2 over one socket. node-redis takes longer to load
// than `npm test` may spend in all on top of Vitest; the check processes, and the learner's code,
// use node-redis as ever.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export type Reply = string | number | null | Reply[];

/** An error reply of the server (WRONGTYPE, NOPERM, NOAUTH, …). */
export class ReplyError extends Error {
  override name = 'ReplyError';
}

export interface RespClient {
  /** Sends one command; resolves with its reply, rejects with a ReplyError or a connection error. */
  send(args: readonly (string | number)[]): Promise<Reply>;
  /** EVAL in node-redis's shape. */
  eval(script: string, options: { keys?: readonly string[]; arguments?: readonly string[] }): Promise<Reply>;
  /** Resolves once the connection is closed (by either side). */
  readonly closed: Promise<void>;
  /** Asks the server to close (QUIT), waiting at most a second. */
  close(): Promise<void>;
  destroy(): void;
}

export interface RespOptions {
  /** Connecting and logging in must succeed within this (default 3000 ms). */
  connectTimeoutMs?: number;
  /** CLIENT SETNAME after logging in. */
  name?: string;
}

const encode = (args: readonly (string | number)[]) => {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(String(arg))}\r\n${arg}\r\n`;
  return out;
};

/** Parses one reply from `buffer` at `start`: the reply and where the next begins, or undefined if incomplete. */
function parse(buffer: Buffer, start: number): { reply: Reply | ReplyError; next: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start]!);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { reply: line, next };
    case '-':
      return { reply: new ReplyError(line), next };
    case ':':
      return { reply: Number(line), next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: null, next };
      if (buffer.length < next + length + 2) return undefined;
      return { reply: buffer.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: null, next };
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (!item) return undefined;
        // An error inside an array (a script's) is kept as its message.
        items.push(item.reply instanceof ReplyError ? item.reply.message : item.reply);
        at = item.next;
      }
      return { reply: items, next: at };
    }
    default:
      throw new Error(`unexpected reply from Redis (${JSON.stringify(type)})`);
  }
}

/** Connects to a redis:// or rediss:// URL, logs in and selects its database as the URL says. */
export async function connectResp(url: string, options: RespOptions = {}): Promise<RespClient> {
  const u = new URL(url);
  const timeout = options.connectTimeoutMs ?? 3000;
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const socket: Socket =
    u.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
  socket.setNoDelay(true);
  const waiting: { resolve(reply: Reply): void; reject(error: Error): void }[] = [];
  let buffer: Buffer = Buffer.alloc(0);
  let ended: Error | undefined;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const fail = (error: Error) => {
    ended ??= error;
    for (const w of waiting.splice(0)) w.reject(ended);
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    let at = 0;
    try {
      for (;;) {
        const parsed = at < buffer.length ? parse(buffer, at) : undefined;
        if (!parsed) break;
        at = parsed.next;
        const w = waiting.shift();
        if (parsed.reply instanceof ReplyError) w?.reject(parsed.reply);
        else w?.resolve(parsed.reply);
      }
    } catch (error) {
      socket.destroy(error as Error);
      return;
    }
    buffer = buffer.subarray(at);
  });
  socket.on('error', (error) => fail(error));
  socket.on('close', () => {
    fail(new Error('the connection to Redis closed'));
    markClosed();
  });

  const send = (args: readonly (string | number)[]) =>
    new Promise<Reply>((resolve, reject) => {
      if (ended) return reject(ended);
      waiting.push({ resolve, reject });
      socket.write(encode(args));
    });

  const client: RespClient = {
    send,
    eval: (script, { keys = [], arguments: args = [] }) => send(['EVAL', script, keys.length, ...keys, ...args]),
    closed,
    async close() {
      if (ended) return;
      const quit = send(['QUIT']).catch(() => null);
      const timer = setTimeout(() => socket.destroy(), 1000);
      await quit;
      await closed;
      clearTimeout(timer);
    },
    destroy() {
      socket.destroy();
    },
  };

  // Connected, logged in and on its database within the time given, or not at all.
  let timer: NodeJS.Timeout | undefined;
  let connected = false;
  try {
    await Promise.race([
      (async () => {
        await new Promise<void>((resolve, reject) => {
          socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', resolve);
          socket.once('error', reject);
        });
        connected = true;
        const steps: Promise<Reply>[] = [];
        const password = decodeURIComponent(u.password);
        const user = decodeURIComponent(u.username);
        if (password) steps.push(send(user ? ['AUTH', user, password] : ['AUTH', password]));
        if (options.name) steps.push(send(['CLIENT', 'SETNAME', options.name]));
        const db = Number(u.pathname.slice(1) || 0);
        if (db) steps.push(send(['SELECT', db]));
        await Promise.all(steps);
      })(),
      new Promise<never>((_, reject) => {
        const within = `within ${timeout / 1000} s`;
        timer = setTimeout(
          () =>
            reject(
              new Error(
                connected ? `it accepted the connection but did not answer ${within}` : `no connection ${within}`,
              ),
            ),
          timeout,
        );
      }),
    ]);
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}
