// The lessons' console while `npm run docs` runs: Redis commands and SQL typed on a page, answered
// by the learner's own servers, inside a sandbox of the console's own (tooling/sandbox.ts: a role
// that owns one database and nothing else, a Redis user confined to one logical database), with
// every command bounded in time and every answer bounded in size. The worked examples' Run
// buttons run in a second sandbox, emptied before each run. Everything is given back on close,
// or by the next start of anything that sweeps dead runs if the docs server was killed.
import pg from 'pg';
import { COMMAND_TIMEOUT_MS, RedisLine, TimeoutError } from './console-redis-line.ts';
import { renderReply, splitCommandLine } from './console-resp.ts';
import { listExamples, normalizeOutput, runExample } from './examples.ts';
import { openSandbox, type Sandbox } from './sandbox.ts';

export { COMMAND_TIMEOUT_MS };

/** Rows shown of a result; the rest are counted, up to a bound, and said. */
export const ROWS_SHOWN = 100;
const ROWS_COUNTED = 100_000;
const CELL_CHARS = 200;
const REPLY_CHARS = 20_000;

/** Commands the console turns away itself, with why: each would leave its one connection unusable. */
const REFUSED: Record<string, string> = {
  AUTH: 'the console is logged in as its sandbox user, and stays so',
  HELLO: 'the console speaks RESP2 as its sandbox user, and stays so',
  SUBSCRIBE: 'a subscribed connection only listens; try pub/sub from a program (lesson 07)',
  PSUBSCRIBE: 'a subscribed connection only listens; try pub/sub from a program (lesson 07)',
  SSUBSCRIBE: 'a subscribed connection only listens; try pub/sub from a program (lesson 07)',
  MONITOR: 'MONITOR streams every command of the server: not for a page',
  QUIT: 'the console keeps its connection; Reset empties its database',
  RESET: 'the console keeps its connection; Reset empties its database',
  SYNC: 'replication is not for a page',
  PSYNC: 'replication is not for a page',
};

export interface SqlResult {
  columns: string[];
  rows: string[][];
  /** Rows of the result not shown. */
  more: number;
  /** Whether counting stopped before the end (a result too large to count). */
  moreThan: boolean;
  /** Postgres's command tag: "SELECT 2", "INSERT 0 1", "CREATE TABLE"… */
  command: string;
}

export type ConsoleReply<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ExampleRunReply {
  id: string;
  output: string;
  errors: string;
  code: number | null;
  timedOut: boolean;
  /** Whether it printed exactly what the page shows (its // Output: comment). */
  matches: boolean;
  ms: number;
}

/** A cell as psql shows it: NULL as an empty cell, long text cut. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS)}…` : text;
}

export class Console {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly redisLine: RedisLine;
  private sqlClient?: pg.Client;

  private constructor(
    private readonly sandbox: Sandbox,
    private readonly exampleSandbox: Sandbox,
  ) {
    this.redisLine = new RedisLine(sandbox.redisUrl);
  }

  /** The run ids its sandboxes carry (names, not credentials): what a test looks for once the console is closed. */
  get runIds(): string[] {
    return [this.sandbox.runId, this.exampleSandbox.runId];
  }

  static async open(services: { postgresUrl: string; redisUrl: string }): Promise<Console> {
    const [sandbox, exampleSandbox] = await Promise.all([
      openSandbox(services, { statementTimeoutMs: COMMAND_TIMEOUT_MS }),
      openSandbox(services, { statementTimeoutMs: 10_000 }),
    ]);
    return new Console(sandbox, exampleSandbox);
  }

  /** One at a time, in the order asked: the console has one connection to each server. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Never the sandbox's addresses or password in what the page is sent. */
  private clean(message: string): string {
    let out = message;
    for (const secret of [this.sandbox.databaseUrl, this.sandbox.redisUrl]) {
      const u = new URL(secret);
      out = out.split(secret).join('(the console’s server)');
      if (u.password) out = out.split(decodeURIComponent(u.password)).join('***');
    }
    return out;
  }

  redis(line: string): Promise<ConsoleReply<string>> {
    return this.serial(async () => {
      let args: string[];
      try {
        args = splitCommandLine(line);
      } catch (error) {
        return { ok: false, error: `Invalid argument(s): ${(error as Error).message}` };
      }
      if (args.length === 0) return { ok: true, value: '' };
      const name = args[0]!.toUpperCase();
      if (REFUSED[name]) return { ok: false, error: `(error) ${name} is not for the console: ${REFUSED[name]}` };
      try {
        const reply = await this.redisLine.send(args);
        const text = renderReply(reply);
        return {
          ok: reply.type !== 'error',
          ...(reply.type === 'error'
            ? { error: this.clean(text) }
            : {
                value:
                  text.length > REPLY_CHARS
                    ? `${text.slice(0, REPLY_CHARS)}\n… (cut at ${REPLY_CHARS} characters)`
                    : text,
              }),
        } as ConsoleReply<string>;
      } catch (error) {
        if (error instanceof TimeoutError && /^(EVAL|EVALSHA|EVAL_RO|EVALSHA_RO|FCALL|FCALL_RO)$/.test(name))
          // A script that never returns holds all of Redis: the admin connection ends it.
          await this.sandbox.adminRedis.sendCommand(['SCRIPT', 'KILL']).catch(() => {});
        return { ok: false, error: `(error) ${this.clean((error as Error).message)}` };
      }
    });
  }

  private async sql(): Promise<pg.Client> {
    if (this.sqlClient) return this.sqlClient;
    const client = new pg.Client({
      connectionString: this.sandbox.databaseUrl,
      connectionTimeoutMillis: COMMAND_TIMEOUT_MS,
      // Values as Postgres writes them, as psql shows them.
      types: { getTypeParser: () => (value: string) => value },
    });
    client.on('error', () => {});
    client.on('end', () => {
      if (this.sqlClient === client) this.sqlClient = undefined;
    });
    await client.connect();
    this.sqlClient = client;
    return client;
  }

  query(text: string): Promise<ConsoleReply<SqlResult>> {
    return this.serial(async () => {
      if (!text.trim()) return { ok: true, value: { columns: [], rows: [], more: 0, moreThan: false, command: '' } };
      try {
        const client = await this.sql();
        const pid = (client as unknown as { processID?: number }).processID;
        const result: SqlResult = { columns: [], rows: [], more: 0, moreThan: false, command: '' };
        await new Promise<void>((resolve, reject) => {
          // Rows arrive one by one and are not kept past those shown: a huge result costs no memory.
          const query = new pg.Query({ text, rowMode: 'array' } as unknown as pg.QueryConfig);
          let counting = false;
          // Of several statements, the rows shown are the last result's that has any.
          let current: unknown;
          query.on('row', (row: unknown[], res?: { fields: { name: string }[] }) => {
            if (res !== current) {
              current = res;
              Object.assign(result, { columns: res?.fields.map((f) => f.name) ?? [], rows: [], more: 0 });
            }
            if (result.rows.length < ROWS_SHOWN) result.rows.push(row.map(cell));
            else if ((result.more += 1) >= ROWS_COUNTED && !counting) {
              counting = true;
              result.moreThan = true;
              void this.sandbox.adminDb.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
            }
          });
          type Done = { command: string | null; rowCount: number | null; fields: { name: string }[] };
          query.on('end', (done: Done | Done[]) => {
            const last = Array.isArray(done) ? done[done.length - 1] : done;
            if (last && current === undefined && last.fields.length) result.columns = last.fields.map((f) => f.name);
            result.command = last
              ? [last.command, last.rowCount].filter((x) => x !== null && x !== undefined).join(' ')
              : '';
            resolve();
          });
          query.on('error', (error: Error & { code?: string }) => {
            // Stopped by the console itself because the result was too large to count: what was seen stands.
            if (result.moreThan && error.code === '57014') {
              result.command = 'SELECT (stopped)';
              resolve();
            } else reject(error);
          });
          client.query(query);
        });
        return { ok: true, value: result };
      } catch (error) {
        const e = error as Error & { code?: string };
        const why =
          e.code === '57014'
            ? `ERROR: canceling statement due to statement timeout (${COMMAND_TIMEOUT_MS / 1000} s in the console)`
            : `ERROR: ${e.message}`;
        return { ok: false, error: this.clean(`${why}${e.code ? ` (SQLSTATE ${e.code})` : ''}`) };
      }
    });
  }

  /** Empties the console's database and its Redis database. */
  reset(): Promise<void> {
    return this.serial(async () => {
      // Emptied by the console's own user first (it may FLUSHDB its one database, and nothing else):
      // the sandbox then finds it empty, its owner mark included, and marks it again.
      await this.redisLine.send(['FLUSHDB']).catch(() => undefined);
      this.redisLine.close();
      await this.sqlClient?.end().catch(() => {});
      this.sqlClient = undefined;
      await this.sandbox.reset();
    });
  }

  /** Runs a worked example in its own emptied sandbox, and compares what it printed with its page. */
  async runExample(id: string): Promise<ConsoleReply<ExampleRunReply>> {
    const example = listExamples().find((e) => e.id === id);
    if (!example) return { ok: false, error: `no worked example named ${id}` };
    return this.serialExample(async () => {
      await this.exampleSandbox.reset();
      const run = await runExample(example.file, this.exampleSandbox, 20_000);
      const output = normalizeOutput(run.stdout);
      return {
        ok: true,
        value: {
          id,
          output: this.clean(output),
          errors: this.clean(run.stderr.trim()),
          code: run.code,
          timedOut: run.timedOut,
          matches: run.code === 0 && output === example.output,
          ms: Math.round(run.ms),
        },
      };
    });
  }

  private examples: Promise<unknown> = Promise.resolve();
  private serialExample<T>(work: () => Promise<T>): Promise<T> {
    const next = this.examples.then(work, work);
    this.examples = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    this.redisLine.close();
    await this.sqlClient?.end().catch(() => {});
    await Promise.allSettled([this.sandbox.close(), this.exampleSandbox.close()]);
  }
}
