// The door the learner's code goes through. Its URLs point here, not at the servers: a gate
// lets a Postgres connection through only for the run's own role and database, and forwards
// Redis commands except those that would change who the connection is (AUTH or HELLO as
// another user, RESET): on a server whose admin needs no password, those would escape the
// learner's ACL user. Everything else is passed on untouched, byte for byte.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { listenLocally, urlThrough } from './local-listen.ts';

export interface Gate {
  readonly host: string;
  readonly port: number;
  /** Rewrites a URL so that it goes through this gate. */
  urlFor(serverUrl: string): string;
  /** Connections refused or commands turned away, newest last (for messages). */
  readonly refused: readonly string[];

  /** Ends every connection that came through it, and goes on admitting new ones; returns how many there were. */
  cut(): number;
  /** Waits up to `ms` for the connections through it to end (those being closed are); resolves with how many are left. */
  drained(ms: number): Promise<number>;
  /** Forgets what it refused (a kept gate, at the start of the next run). */
  forget(): void;
  /** Ends every connection that came through it, and stops listening. */
  close(): Promise<void>;
}

type Admit = (client: Socket, upstream: () => Socket) => void;

async function listen(admit: Admit, target: { host: string; port: number }, refused: string[]): Promise<Gate> {
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setNoDelay(true);
    return socket;
  };
  const server: Server = createServer((client) => {
    track(client);
    clients.add(client);
    client.on('close', () => clients.delete(client));
    admit(client, () => {
      const upstream = track(connect(target));
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      return upstream;
    });
  });
  const port = await listenLocally(server);
  return {
    host: '127.0.0.1',
    port,
    refused,
    urlFor: (serverUrl: string) => urlThrough(serverUrl, port),
    cut() {
      const open = clients.size;
      for (const socket of sockets) socket.destroy();
      return open;
    },
    async drained(ms: number) {
      const until = Date.now() + ms;
      while (clients.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      return clients.size;
    },
    forget() {
      refused.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- Postgres: read the startup packet, admit one role to one database ----

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

function pgError(code: string, message: string): Buffer {
  const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, 'utf8'), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

function startupParameters(packet: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  const parts = packet.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) params.set(parts[i]!, parts[i + 1]!);
  return params;
}

/** Sees one admitted connection's traffic, each way, as it passes. */
export interface ConnectionWatcher {
  fromClient(chunk: Buffer): void;
  fromServer(chunk: Buffer): void;
}

/** A gate to Postgres that admits only `role` connecting to `database`; `observe` is asked for a watcher per connection. */
export function postgresGate(
  target: { host: string; port: number },
  role: string,
  database: string,
  observe?: () => ConnectionWatcher,
): Promise<Gate> {
  const refused: string[] = [];
  return listen(
    (client, upstream) => {
      let buffered: Buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 8) {
          const length = buffered.readInt32BE(0);
          const code = buffered.readInt32BE(4);
          if (length < 8 || length > 10_000) return client.destroy();
          if (buffered.length < length) return;
          const packet = buffered.subarray(0, length);
          buffered = buffered.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            client.write('N'); // loopback: no encryption to negotiate
            continue;
          }
          client.off('data', onData);
          if (code === PROTOCOL_3) {
            const params = startupParameters(packet);
            const user = params.get('user') ?? '';
            const db = params.get('database') || user;
            if (user !== role || db !== database) {
              const why = `the checks' sandbox lets this connection reach only database "${database}" as role "${role}"; it asked for database "${db}" as role "${user}"`;
              refused.push(why);
              client.end(pgError('42501', why));
              return;
            }
          } else if (code !== CANCEL_REQUEST) {
            return client.destroy();
          }
          const server = upstream();
          const watcher = code === PROTOCOL_3 ? observe?.() : undefined;
          server.write(packet);
          if (!watcher) {
            server.write(buffered);
            client.pipe(server);
            server.pipe(client);
            return;
          }
          const fromClient = (chunk: Buffer) => {
            watcher.fromClient(chunk);
            server.write(chunk);
          };
          if (buffered.length) fromClient(buffered);
          client.on('data', fromClient);
          server.on('data', (chunk: Buffer) => {
            watcher.fromServer(chunk);
            client.write(chunk);
          });
          return;
        }
      };
      client.on('data', onData);
    },
    target,
    refused,
  );
}

// ---- Redis: parse each command, turn away the few that change the connection's identity ----

/** Reads one command (a RESP array of bulk strings, or an inline line) from the front of `buf`. */
export function readCommand(buf: Buffer): { args: string[]; length: number } | undefined {
  if (buf.length === 0) return undefined;
  if (buf[0] !== 0x2a /* '*' */) {
    const end = buf.indexOf(0x0a);
    if (end < 0) return undefined;
    return { args: buf.subarray(0, end).toString('utf8').trim().split(/\s+/).filter(Boolean), length: end + 1 };
  }
  let at = buf.indexOf('\r\n');
  if (at < 0) return undefined;
  const count = Number(buf.subarray(1, at).toString('latin1'));
  let offset = at + 2;
  const args: string[] = [];
  for (let i = 0; i < count; i += 1) {
    at = buf.indexOf('\r\n', offset);
    if (at < 0) return undefined;
    const size = Number(buf.subarray(offset + 1, at).toString('latin1'));
    const start = at + 2;
    if (buf.length < start + size + 2) return undefined;
    // Only the first few arguments matter here; large values are skipped, not decoded.
    args.push(i < 4 ? buf.subarray(start, start + size).toString('utf8') : '');
    offset = start + size + 2;
  }
  return { args, length: offset };
}

/** Why a command may not pass the gate for `user`, or undefined when it may. */
export function identityChange(args: readonly string[], user: string): string | undefined {
  const name = (args[0] ?? '').toUpperCase();
  if (name === 'RESET') return 'RESET would log the connection out of its own user';
  if (name === 'AUTH' && (args.length < 3 || args[1] !== user))
    return `AUTH as ${args.length < 3 ? 'the default user' : `"${args[1]}"`}`;
  if (name === 'HELLO') {
    const at = args.findIndex((a, i) => i > 1 && a.toUpperCase() === 'AUTH');
    if (at > 0 && args[at + 1] !== user) return `HELLO … AUTH as "${args[at + 1] ?? ''}"`;
  }
  return undefined;
}

function refusal(why: string): Buffer {
  // An unknown command: the server answers it with an error, in order with every other reply.
  const name = `COURSE-SANDBOX-REFUSED(${why.replace(/\s+/g, '_')})`;
  return Buffer.from(`*1\r\n$${Buffer.byteLength(name)}\r\n${name}\r\n`);
}

/** A gate to Redis for connections that log in as `user`. */
export function redisGate(target: { host: string; port: number }, user: string): Promise<Gate> {
  const refused: string[] = [];
  return listen(
    (client, upstream) => {
      const server = upstream();
      server.pipe(client);
      let buffered: Buffer = Buffer.alloc(0);
      client.on('data', (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        const out: Buffer[] = [];
        for (;;) {
          const command = readCommand(buffered);
          if (!command) break;
          const raw = buffered.subarray(0, command.length);
          buffered = buffered.subarray(command.length);
          const why = identityChange(command.args, user);
          if (why) refused.push(why);
          out.push(why ? refusal(why) : raw);
        }
        if (out.length) server.write(out.length === 1 ? out[0]! : Buffer.concat(out));
      });
    },
    target,
    refused,
  );
}
