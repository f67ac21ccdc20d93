// One Redis connection of the lessons' console (tooling/console.ts), as its sandbox user: a command
// at a time, each within its time; a command that does not answer in time is ended with its
// connection, and the next command opens a new one.
import { connect, type Socket } from 'node:net';
import { encodeCommand, parseReply, type TypedReply } from './console-resp.ts';

/** How long one console command may run before it is ended. */
export const COMMAND_TIMEOUT_MS = 3000;

/** One Redis connection as the sandbox user, a command at a time, each within its time. */
export class RedisLine {
  private socket?: Socket;
  private buffer = Buffer.alloc(0);
  private waiting?: (reply: TypedReply | Error) => void;

  constructor(private readonly url: string) {}

  private async open(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const u = new URL(this.url);
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) });
    socket.setNoDelay(true);
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    // Whatever an ended connection still says or does is no answer to the next command.
    const mine = () => this.socket === socket;
    socket.on('data', (chunk: Buffer) => {
      if (!mine()) return;
      this.buffer = Buffer.concat([this.buffer, chunk]);
      const parsed = parseReply(this.buffer);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.next);
      const done = this.waiting;
      this.waiting = undefined;
      done?.(parsed.reply);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!mine()) return;
      this.socket = undefined;
      this.waiting?.(new Error('the connection to Redis closed'));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    for (const args of [
      ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)],
      ['SELECT', u.pathname.slice(1)],
    ]) {
      const reply = await this.raw(args, COMMAND_TIMEOUT_MS);
      if (reply.type === 'error') throw new Error(reply.value);
    }
    return socket;
  }

  private raw(args: string[], timeoutMs: number): Promise<TypedReply> {
    const socket = this.socket!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        // A command still waiting (BLPOP …, a script that never returns) is ended with its connection.
        if (this.socket === socket) this.socket = undefined;
        socket.destroy();
        reject(new TimeoutError());
      }, timeoutMs);
      this.waiting = (reply) => {
        clearTimeout(timer);
        if (reply instanceof Error) reject(reply);
        else resolve(reply);
      };
      socket.write(encodeCommand(args));
    });
  }

  async send(args: string[]): Promise<TypedReply> {
    await this.open();
    return this.raw(args, COMMAND_TIMEOUT_MS);
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }
}

export class TimeoutError extends Error {
  constructor() {
    super(`no answer within ${COMMAND_TIMEOUT_MS / 1000} s: the console ended the command`);
  }
}
