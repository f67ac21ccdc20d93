// Lesson 02 · Whether a script ends by itself after its last line
// depends on what it left open. The pool closes idle pg
// connections after idleTimeoutMillis (10 000 ms unless you say
// otherwise), and then the process can exit. A connected
// node-redis client keeps the process alive until it is closed.
// Each script here runs in a Node process of its own.
import { spawn } from 'node:child_process';
import type { Example } from '../../lib/example.ts';

/**
 * Runs a script in a Node process of its own. Resolves with how
 * long the process lived on after the script's last line, or with
 * null if it is still running after `patienceMs` (and ends it).
 */
function run(env: object, script: string, patienceMs: number) {
  const afterLastLine = `
    const done = performance.now();
    process.on('exit', () =>
      console.log(Math.round(performance.now() - done)));`;
  const child = spawn(
    process.execPath,
    ['--input-type=module', '--eval', script + afterLastLine],
    { env: { ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let printed = '';
  child.stdout
    .setEncoding('utf8')
    .on('data', (d) => (printed += d));
  return new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve(null);
    }, patienceMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(printed ? Number(printed) : null);
    });
  });
}

export default (async ({ env }) => {
  // #region forgotten
  const poolLeftOpen = await run(
    env,
    `import pg from 'pg';
     const pool = new pg.Pool({
       connectionString: process.env.DATABASE_URL,
       idleTimeoutMillis: 1000,
     });
     await pool.query('SELECT 1'); // and no pool.end()`,
    5000,
  );
  const clientLeftOpen = await run(
    env,
    `import { createClient } from 'redis';
     const client = createClient({ url: process.env.REDIS_URL });
     await client.connect(); // and no client.close()`,
    3000,
  );
  const bothClosed = await run(
    env,
    `import pg from 'pg';
     import { createClient } from 'redis';
     const pool = new pg.Pool({
       connectionString: process.env.DATABASE_URL,
     });
     const client = createClient({ url: process.env.REDIS_URL });
     await Promise.all([pool.query('SELECT 1'), client.connect()]);
     await Promise.all([pool.end(), client.close()]);`,
    5000,
  );
  // #endregion forgotten
  const within = (ms: number | null, from: number, to: number) =>
    ms !== null && ms >= from && ms < to;
  const pool = within(poolLeftOpen, 1000, 2000);
  console.log(`pool, no end():     lived on 1 to 2 s: ${pool}`);
  const client =
    clientLeftOpen === null ? 'still running' : 'exited';
  console.log(`client, no close(): 3 s later, ${client}`);
  const both = within(bothClosed, 0, 500);
  console.log(`both closed:        lived on under 0.5 s: ${both}`);
}) satisfies Example;

// Output:
// pool, no end():     lived on 1 to 2 s: true
// client, no close(): 3 s later, still running
// both closed:        lived on under 0.5 s: true
