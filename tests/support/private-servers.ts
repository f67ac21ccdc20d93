// A Postgres cluster and a Redis server of a test's own, on free ports, so that a test may fill,
// restart or kill them without disturbing anything else that uses the machine's servers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { closedPort } from '../../checks/harness/proxy.ts';

export interface PrivateServer {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The directory of the newest installed PostgreSQL's programs, if there is one. */
function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(base, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

export const canRunPrivatePostgres = postgresBin() !== undefined;
export const canRunPrivateRedis = spawnSync('redis-server', ['--version']).status === 0;

async function until(ready: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start`);
}

/** initdb refuses to run as root: as root, the cluster belongs to the postgres system user. */
function asOwner(args: string[]): string[] {
  return userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

export async function startPrivatePostgres(): Promise<PrivateServer> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL installation to start a private cluster from');
  const dir = mkdtempSync(join(tmpdir(), 'course-pg-'));
  if (userInfo().uid === 0)
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres']).stdout),
      Number(spawnSync('id', ['-g', 'postgres']).stdout),
    );
  const data = join(dir, 'data');
  const port = await closedPort();
  const run = (args: string[]) => {
    const [command, ...rest] = asOwner(args);
    const result = spawnSync(command!, rest, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  };
  run([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (action: string) =>
    run([join(bin, 'pg_ctl'), '-D', data, '-o', options, '-l', join(dir, 'log'), '-m', 'immediate', '-w', action]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const answers = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 500 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  };
  ctl('start');
  await until(answers, 'the private Postgres');
  return {
    url,
    async restart() {
      ctl('restart');
      await until(answers, 'the private Postgres');
    },
    async stop() {
      try {
        ctl('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await closedPort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const answers = async () => {
    const probe = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    probe.on('error', () => {});
    try {
      await probe.connect();
      probe.destroy();
      return true;
    } catch {
      return false;
    }
  };
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await until(answers, 'the private redis-server');
  };
  const stop = async () => {
    const exiting =
      server && server.exitCode === null ? new Promise((r) => server!.once('exit', r)) : Promise.resolve();
    server?.kill('SIGKILL');
    await exiting;
  };
  await start();
  return {
    url,
    async restart() {
      await stop();
      await start();
    },
    stop,
  };
}
