// In a check process kept between runs (a warm session), Vitest re-evaluates the check file
// itself but keeps every module it imported. The harness, the drivers and the course's own
// modules should stay (that is what makes a re-run fast); the code under check must not: the
// learner's file, and whatever of theirs it imports, is evaluated afresh by every run, as in a
// new process.
import { join, sep } from 'node:path';
import { WARM_QUERY } from '../../tooling/run-names.ts';
import { projectRoot } from '../../tooling/services.ts';

interface EvaluatedModule {
  file: string;
}
interface WorkerState {
  evaluatedModules?: {
    fileToModulesMap: Map<string, Set<EvaluatedModule>>;
    invalidateModule(node: EvaluatedModule): void;
  };
}

const KEPT = [
  join(projectRoot, 'checks', 'harness') + sep,
  join(projectRoot, 'tooling') + sep,
  join(projectRoot, 'lib') + sep,
  join(projectRoot, 'manifest.ts'),
];

/** Makes the next import of the code under check evaluate it again. */
export function forgetCodeUnderCheck(): void {
  // Vitest's worker state (vitest 4.1): the module runner's graph of what this process evaluated.
  const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
  const modules = state?.evaluatedModules;
  if (!modules) return;
  for (const [file, nodes] of modules.fileToModulesMap) {
    // Node's own modules (named, not a path) and the packages stay too.
    if (
      !file.startsWith(sep) ||
      file.includes(`${sep}node_modules${sep}`) ||
      KEPT.some((kept) => file.startsWith(kept))
    )
      continue;
    for (const node of nodes) modules.invalidateModule(node);
  }
}

// The session's pool (tooling/warm-pool.ts) asks, after each run, whether this process may serve
// the next one; it may not once the code under check left something running. Listened for from
// the first file's start on, not as this module loads: a process may load the harness before
// Vitest's own runtime listens (tooling/prefork.mjs), and a message that reached only this
// listener then would be lost to Vitest.
const ASKED = Symbol.for('course.warm.answering');
const state = globalThis as typeof globalThis & { [ASKED]?: { reusable: boolean } };

/** Starts answering the pool's question (once per process). */
export function answerWarmQueries(): void {
  if (state[ASKED] || !process.send) return;
  const answer = { reusable: true };
  state[ASKED] = answer;
  process.on('message', (message: unknown) => {
    if ((message as Record<string, unknown> | null)?.[WARM_QUERY] === 'reusable?')
      process.send?.({ [WARM_QUERY]: 'answer', reusable: answer.reusable });
  });
}

/** This process must not serve another run (the code under check left connections open). */
export function markNotReusable(): void {
  if (state[ASKED]) state[ASKED].reusable = false;
}
