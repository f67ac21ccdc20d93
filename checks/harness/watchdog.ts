// A learner's endless loop freezes the check's process: no timer fires, so no timeout can.
// A watchdog thread notices the frozen heartbeat, writes down which check froze, and ends the
// process; the reporter then tells the learner what happened instead of the run hanging.
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { beforeEach } from 'vitest';
import { FROZEN_DIR } from './names';

const FROZEN_AFTER_MS = Number(process.env.COURSE_FROZEN_MS ?? 5000);

const shared = new SharedArrayBuffer(8 + 2048);
const heartbeat = new Float64Array(shared, 0, 1);
const current = new Uint8Array(shared, 8, 2048);
heartbeat[0] = Date.now();
setInterval(() => { heartbeat[0] = Date.now(); }, 100).unref();

beforeEach((context) => {
  const name = `${context.task.file?.name ?? ''}\n${context.task.name}`;
  const bytes = new TextEncoder().encode(name).slice(0, current.length - 1);
  current.fill(0);
  current.set(bytes);
});

mkdirSync(FROZEN_DIR, { recursive: true });
const watcher = new Worker(
  `const { workerData } = require('node:worker_threads');
   const { writeFileSync } = require('node:fs');
   const heartbeat = new Float64Array(workerData.shared, 0, 1);
   const current = new Uint8Array(workerData.shared, 8, 2048);
   setInterval(() => {
     const frozenFor = Date.now() - heartbeat[0];
     if (frozenFor < workerData.limit) return;
     const end = current.indexOf(0);
     const [file, test] = new TextDecoder().decode(current.slice(0, end < 0 ? current.length : end)).split('\\n');
     writeFileSync(workerData.dir + '/' + process.pid + '.json', JSON.stringify({ file, test, frozenFor }));
     process.kill(process.pid, 'SIGKILL');
   }, 200);`,
  { eval: true, workerData: { shared, limit: FROZEN_AFTER_MS, dir: FROZEN_DIR } },
);
watcher.unref();
