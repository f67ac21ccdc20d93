// Watches every command the Redis server executes (MONITOR), so a check can say what the
// learner's code sent: "a hit is one GET", "the value and its TTL travel in one SET".
// It speaks RESP over its own socket, so it sees the learner's duplicates and pipelines too.
import { connect, type Socket } from 'node:net';

export interface SeenCommand {
  /** When the server ran it: ms since the epoch (fractional), from the server's clock. */
  time: number;
  /** Logical database the command ran in. */
  db: number;
  /** Client address as the server saw it ("127.0.0.1:51234"), or "lua" inside a script. */
  client: string;
  /** Command name upper-cased, then its arguments as sent. */
  args: string[];
}

const LINE = /^\+(\d+\.\d+) \[(\d+) ([^\]]+)\] (.*)$/;

/** Splits the quoted, escaped argument list MONITOR prints. */
export function parseMonitorArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i += 1;
      continue;
    }
    i += 1;
    let arg = '';
    while (i < text.length && text[i] !== '"') {
      const ch = text[i]!;
      if (ch === '\\' && i + 1 < text.length) {
        const next = text[i + 1]!;
        if (next === 'x' && i + 3 < text.length) {
          arg += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        arg += ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[next] ?? next;
        i += 2;
        continue;
      }
      arg += ch;
      i += 1;
    }
    i += 1;
    args.push(arg);
  }
  return args;
}

export class RedisMonitor {
  readonly seen: SeenCommand[] = [];
  private buffer = '';
  private waiters: { marker: string; resolve: () => void }[] = [];

  private constructor(private readonly socket: Socket) {}

  static async open(url: string): Promise<RedisMonitor> {
    const u = new URL(url);
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const monitor = new RedisMonitor(socket);
    const ready = new Promise<void>((resolve, reject) => {
      let stage = u.password ? 'auth' : 'monitor';
      const onData = (chunk: Buffer) => {
        monitor.buffer += chunk.toString('latin1');
        for (
          let nl = monitor.buffer.indexOf('\r\n');
          nl >= 0 && stage !== 'live';
          nl = monitor.buffer.indexOf('\r\n')
        ) {
          const line = monitor.buffer.slice(0, nl);
          monitor.buffer = monitor.buffer.slice(nl + 2);
          if (line.startsWith('-')) {
            reject(new Error(`Redis refused MONITOR: ${line.slice(1)}`));
            return;
          }
          if (stage === 'auth') {
            stage = 'monitor';
            continue;
          }
          stage = 'live';
          socket.off('data', onData);
          socket.on('data', (c: Buffer) => monitor.take(c));
          monitor.take(Buffer.alloc(0));
          resolve();
        }
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    if (u.password) {
      const user = decodeURIComponent(u.username || 'default');
      socket.write(resp(['AUTH', user, decodeURIComponent(u.password)]));
    }
    socket.write(resp(['MONITOR']));
    socket.on('error', () => {});
    await ready;
    return monitor;
  }

  private take(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    let nl: number;
    while ((nl = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      const m = LINE.exec(line);
      if (!m) continue;
      const args = parseMonitorArgs(m[4]!);
      if (args[0]) args[0] = args[0].toUpperCase();
      const command: SeenCommand = { time: Number(m[1]) * 1000, db: Number(m[2]), client: m[3]!, args };
      this.seen.push(command);
      if (command.args[0] === 'ECHO' && command.args[1]) {
        const marker = command.args[1];
        this.waiters = this.waiters.filter((w) => (w.marker === marker ? (w.resolve(), false) : true));
      }
    }
  }

  /** Resolves once the monitor has seen `ECHO marker`, i.e. everything executed before it. */
  waitFor(marker: string, timeoutMs = 3000): Promise<void> {
    if (this.seen.some((c) => c.args[0] === 'ECHO' && c.args[1] === marker)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Redis MONITOR did not see marker ${marker} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        marker,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Drops what it has seen so far (between checks, when no watch is open): a long session's log stays small. */
  forget(): void {
    this.seen.length = 0;
  }

  close(): void {
    this.socket.destroy();
  }
}

function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Whether a command writes a value together with its expiry: SETEX, PSETEX, or SET with EX/PX/EXAT/PXAT. */
export function setsValueWithExpiry(c: SeenCommand): boolean {
  const [name = ''] = c.args;
  if (name === 'SETEX' || name === 'PSETEX') return true;
  return name === 'SET' && c.args.slice(3).some((a) => ['EX', 'PX', 'EXAT', 'PXAT'].includes(a.toUpperCase()));
}

/** Commands that run a script, whose own commands MONITOR shows as from `lua`. */
export const SCRIPT_COMMANDS: ReadonlySet<string> = new Set([
  'EVAL',
  'EVALSHA',
  'EVAL_RO',
  'EVALSHA_RO',
  'FCALL',
  'FCALL_RO',
]);
