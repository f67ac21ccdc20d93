// A Vitest pool whose check processes outlive a run: the guided runner and the attempts of
// `npm run verify` re-run one check file many times, and starting a process, Vitest's runtime,
// the drivers and the harness for each run would cost more than the checks themselves. Vitest
// 4 makes a new worker per run and stops it at the end; this one hands Vitest the same process
// again, answering its "start" (the process is set up already) and its "stop" (the process is
// kept for the next run) itself. Everything else passes through untouched. A process that
// ended (the watchdog ended a frozen check, the learner's code called process.exit) is simply
// replaced by a new one at the next run.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';
import { WARM_QUERY } from './run-names.ts';

interface Kept {
  child: ChildProcess;
  /** The Vitest instance (the session) it serves: two sessions never share a process. */
  owner: object;
  /** The pool slot it was started for (VITEST_POOL_ID): each slot has its own run database. */
  poolId: number;
  /** Vitest sent it "start" and it answered: its runtime is set up. */
  started: boolean;
  busy: boolean;
}

// One list per process, whichever copy of this module Vitest's config loader made.
const KEPT = Symbol.for('course.warm-pool.kept');
const registry = globalThis as typeof globalThis & { [KEPT]?: Kept[] };
const kept = (registry[KEPT] ??= []);

const alive = (k: Pick<Kept, 'child'>) => k.child.exitCode === null && k.child.signalCode === null && k.child.connected;

/** Ends the processes kept for a session (a Vitest instance). Safe to call more than once. */
export async function closeWarmProcesses(owner: object): Promise<void> {
  const all = kept.filter((k) => k.owner === owner);
  for (const k of all) kept.splice(kept.indexOf(k), 1);
  await Promise.all(
    all.map(
      ({ child }) =>
        new Promise<void>((done) => {
          if (!alive({ child })) return done();
          const force = setTimeout(() => child.kill('SIGKILL'), 1000);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.kill();
        }),
    ),
  );
}

/** The memory (resident set, bytes) of the check processes kept now, from /proc (0 where it cannot be read). */
export function warmProcessRss(): number {
  let total = 0;
  for (const { child } of kept) {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // Not Linux, or the process just ended.
    }
  }
  return total;
}

// A process kept between runs must not outlive this one, however it ends.
process.once('exit', () => {
  for (const { child } of kept) if (alive({ child })) child.kill('SIGKILL');
});

const isAnswer = (message: unknown) => (message as Record<string, unknown> | null)?.[WARM_QUERY] === 'answer';

/** Asks a kept process whether it may serve another run; no answer within a second is a no. */
function reusable(child: ChildProcess): Promise<boolean> {
  return new Promise((done) => {
    const timer = setTimeout(() => finish(false), 1000);
    const onMessage = (message: unknown) => {
      if (isAnswer(message)) finish((message as { reusable?: boolean }).reusable === true);
    };
    const finish = (answer: boolean) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      done(answer);
    };
    child.on('message', onMessage);
    child.send({ [WARM_QUERY]: 'reusable?' });
  });
}

class WarmForksWorker implements PoolWorker {
  readonly name = 'course-warm-forks';
  readonly cacheFs = true;
  private current?: Kept;
  /** Vitest asked this run's process to stop in order; a stop without it (a cancelled or failed run) ends the process. */
  private stopAsked = false;
  private readonly events = new EventEmitter();
  private readonly entrypoint: string;
  private readonly stdout: Writable;
  private readonly stderr: Writable;

  constructor(private readonly options: PoolOptions) {
    this.entrypoint = resolve(options.distPath, 'workers/forks.js');
    this.stdout = options.project.vitest.logger.outputStream as Writable;
    this.stderr = options.project.vitest.logger.errorStream as Writable;
  }

  private readonly relay = {
    message: (message: unknown) => {
      if (!isAnswer(message)) this.events.emit('message', message);
    },
    error: (error: unknown) => this.events.emit('error', error),
    exit: (code: unknown) => this.events.emit('exit', code),
  };

  on(event: string, callback: (arg: unknown) => void): void {
    this.events.on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.events.off(event, callback);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  // The process is chosen at "start", where the slot is known: one kept for that slot, or a new one.
  async start(): Promise<void> {}

  private adopt(poolId: number): Kept {
    for (const k of [...kept]) if (!alive(k)) kept.splice(kept.indexOf(k), 1);
    const owner = this.options.project.vitest;
    let chosen = kept.find((k) => !k.busy && k.poolId === poolId && k.owner === owner);
    if (!chosen) {
      const child = fork(this.entrypoint, [], {
        env: this.options.env,
        execArgv: this.options.execArgv,
        stdio: 'pipe',
        serialization: 'advanced',
      });
      chosen = { child, owner, poolId, started: false, busy: false };
      kept.push(chosen);
    }
    chosen.busy = true;
    const { child } = chosen;
    child.on('message', this.relay.message);
    child.on('error', this.relay.error);
    child.on('exit', this.relay.exit);
    child.stdout?.pipe(this.stdout, { end: false });
    child.stderr?.pipe(this.stderr, { end: false });
    this.current = chosen;
    return chosen;
  }

  send(message: WorkerRequest): void {
    if (message.type === 'start') {
      const chosen = this.adopt(message.poolId);
      if (chosen.started) {
        setImmediate(() => this.events.emit('message', { type: 'started', __vitest_worker_response__: true }));
        return;
      }
      const onStarted = (response: { type?: string; error?: unknown }) => {
        if (response?.type !== 'started') return;
        chosen.child.off('message', onStarted);
        if (!response.error) chosen.started = true;
      };
      chosen.child.on('message', onStarted);
      chosen.child.send(message);
      return;
    }
    if (message.type === 'stop') {
      this.stopAsked = true;
      // The runtime stays set up for the next run: nothing to tear down in the process.
      setImmediate(() => this.events.emit('message', { type: 'stopped', __vitest_worker_response__: true }));
      return;
    }
    this.current?.child.send(message);
  }

  async stop(): Promise<void> {
    const chosen = this.current;
    this.current = undefined;
    if (!chosen) return;
    const { child } = chosen;
    // Kept when it ended its run in order and the harness in it says it may serve another (see
    // checks/harness/fresh-code.ts); not when it ended during the run (a frozen check,
    // process.exit), or was stopped in a hurry with its checks perhaps still running.
    const keep = this.stopAsked && alive(chosen) && (await reusable(child));
    child.off('message', this.relay.message);
    child.off('error', this.relay.error);
    child.off('exit', this.relay.exit);
    child.stdout?.unpipe(this.stdout);
    child.stderr?.unpipe(this.stderr);
    chosen.busy = false;
    if (keep) return;
    if (alive(chosen)) child.kill('SIGKILL');
    kept.splice(kept.indexOf(chosen), 1);
  }
}

/**
 * The pool to give Vitest (`pool` in createVitest's options) for a session of re-runs. A class, not
 * an object literal: Vitest deep-merges plain objects of its options into the config file's `pool`.
 */
class WarmForks implements PoolRunnerInitializer {
  readonly name = 'course-warm-forks';
  createPoolWorker(options: PoolOptions): PoolWorker {
    return new WarmForksWorker(options);
  }
}

export const warmForks: PoolRunnerInitializer = new WarmForks();
