// Loaded first in a check process started ahead of Vitest (tooling/prefork.mjs), while the run's
// own process is still loading Vitest:
//   - the drivers every check file imports, from the same place Vitest's runner loads them
//     (Node's module cache holds them for it), and the one Redis client the harness duplicates
//     all its clients from (checks/harness/redis-client.ts): node-redis builds its command table
//     per createClient(), which costs milliseconds every time;
//   - the compiled harness (tooling/one-shot.mjs), when the last run's is still current.
// Nothing here connects anywhere (this process has no server address until its check file opens
// its sandbox), and nothing listens for messages: those are Vitest's, and one that arrived while
// only another listener was there would be lost to it.
import { pathToFileURL } from 'node:url';
import { harnessFilesIfCurrent } from './one-shot.mjs';

// Ends this process once the run's is gone (killed outright): from its start on, not only once
// the check file's watchdog (checks/harness/watchdog.ts) runs, since a process waiting on an
// answer of the dead run would otherwise wait for Vitest's own timeouts.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 200).unref();

const [, { createClient }] = await Promise.all([import('pg'), import('redis')]);
globalThis[Symbol.for('course.redis-client-template')] = createClient();
await Promise.all(harnessFilesIfCurrent().map((file) => import(pathToFileURL(file).href).catch(() => {})));
