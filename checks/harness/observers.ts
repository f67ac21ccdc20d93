// What the learner's code sent, as the servers received it: SQL read off the wire at the gate
// (per connection, with its parameters and timing), Redis commands as MONITOR saw them.
import type { ConnectionWatcher } from './gate.ts';
import { BackendReader, FrontendReader } from './postgres-wire.ts';
import type { SeenCommand } from './redis-monitor.ts';

export interface SqlStatement {
  text: string;
  values: unknown[];
  /** Which connection through the gate sent it (1, 2, …), to see what shared a transaction. */
  connection: number;
  /** Wall-clock time (ms since the epoch, fractional) when it was sent and when it settled. */
  sentAt: number;
  settledAt?: number;
}

/** The wall clock in fractional milliseconds, comparable with MONITOR's timestamps. */
export const now = () => performance.timeOrigin + performance.now();

export interface Watched<T> {
  result: T;
  sql: SqlStatement[];
  redis: SeenCommand[];
}

/** Every statement that went through one file's Postgres gate, in order. */
export class SqlRecorder {
  readonly sql: SqlStatement[] = [];
  private connections = 0;

  /**
   * A watcher for one connection: each statement with its parameters, when it passed, and when
   * the server was ready again (its result was on the way back).
   */
  watcher(): ConnectionWatcher {
    const connection = (this.connections += 1);
    const pending: SqlStatement[] = [];
    const frontend = new FrontendReader(({ text, values }) => {
      const statement: SqlStatement = { text, values, connection, sentAt: now() };
      this.sql.push(statement);
      pending.push(statement);
    });
    const backend = new BackendReader(() => {
      const at = now();
      for (const statement of pending.splice(0)) statement.settledAt = at;
    });
    return { fromClient: (chunk) => frontend.push(chunk), fromServer: (chunk) => backend.push(chunk) };
  }
}
