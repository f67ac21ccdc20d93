// A learner's endless loop freezes the check's process: no timer fires, so no timeout can.
// A watchdog thread notices the frozen heartbeat, writes down which check froze (or that the
// learner's module never finished loading), and ends the process; the reporter of the same run
// then tells the learner what happened instead of the run hanging. The same thread ends the
// process when the run's own process has died, so that no check process outlives its run.
import { Worker } from 'node:worker_threads';
import { beforeEach, expect, inject } from 'vitest';
import { frozenDir, LOADING } from '../../tooling/run-names.ts';

const FROZEN_AFTER_MS = Number(process.env.COURSE_FROZEN_MS ?? 5000);

// A setup file runs again before every check file; a process kept between runs (a warm
// session) keeps the one heartbeat and the one watching thread it started first.
const STARTED = Symbol.for('course.watchdog');
const process_ = globalThis as typeof globalThis & { [STARTED]?: SharedArrayBuffer };
const first = process_[STARTED] === undefined;
const shared = (process_[STARTED] ??= new SharedArrayBuffer(8 + 2048));
const heartbeat = new Float64Array(shared, 0, 1);
const current = new Uint8Array(shared, 8, 2048);
heartbeat[0] = Date.now();
if (first) {
  setInterval(() => {
    heartbeat[0] = Date.now();
  }, 100).unref();
}

function note(file: string, test: string): void {
  const bytes = new TextEncoder().encode(`${file}\n${test}`).slice(0, current.length - 1);
  current.fill(0);
  current.set(bytes);
}

note(expect.getState().testPath ?? '', LOADING);
beforeEach((context) => note(context.task.file?.filepath ?? '', context.task.name));

if (first) startWatching();

function startWatching(): void {
  const dir = frozenDir(inject('services').runId);
  const watcher = new Worker(
    `const { workerData } = require('node:worker_threads');
     const { mkdirSync, writeFileSync } = require('node:fs');
     const heartbeat = new Float64Array(workerData.shared, 0, 1);
     const current = new Uint8Array(workerData.shared, 8, 2048);
     const parent = process.ppid;
     setInterval(() => {
       // The run's process is gone (killed outright): end this one too, so that its connections,
       // and with them the run's claim on what it made, go as well (see release.ts).
       if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
       const frozenFor = Date.now() - heartbeat[0];
       if (frozenFor < workerData.limit) return;
       const end = current.indexOf(0);
       const [file, test] = new TextDecoder().decode(current.slice(0, end < 0 ? current.length : end)).split('\\n');
       // The note is for the reporter; ending the process comes first in importance: it never fails.
       try {
         mkdirSync(workerData.dir, { recursive: true, mode: 0o700 });
         writeFileSync(workerData.dir + '/' + process.pid + '.json', JSON.stringify({ file, test, frozenFor }), { mode: 0o600 });
       } catch {}
       process.kill(process.pid, 'SIGKILL');
     }, 200);`,
    { eval: true, workerData: { shared, limit: FROZEN_AFTER_MS, dir } },
  );
  watcher.unref();
}
