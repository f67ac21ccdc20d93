// `node --import tsx scripts/flakes.ts [runs] [--one-shot]`: runs each exercise's checks against
// its reference solution `runs` times in a row (20 by default), in two lanes side by side, so that
// every exercise is checked while another run uses the same servers: two warm sessions (the guided
// runner's way), or with --one-shot a new `npm test --solutions NN` (minus npm) for every run.
// Prints the failures (none is the only good answer) and, per exercise, the runs and how long
// they took.
import { spawn } from 'node:child_process';
import { exercises, folderOf, type Exercise } from '../manifest.ts';
import { projectRoot, provideServices } from '../tooling/services.ts';
import { WarmChecks } from '../tooling/warm-checks.ts';

const oneShot = process.argv.includes('--one-shot');
const runs = Math.max(1, Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 20));
const services = await provideServices();
const failures: string[] = [];
const figures = new Map<string, { passed: number; ms: number[] }>();

/** One `npm test --solutions NN`, as a learner's terminal would run it: its exit code and output. */
function oneShotRun(exercise: Exercise): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/test.mjs', '--solutions', exercise.id], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: services.postgresUrl, REDIS_URL: services.redisUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function oneShotLane(list: Exercise[]): Promise<void> {
  for (const exercise of list) {
    const mine = { passed: 0, ms: [] as number[] };
    figures.set(exercise.id, mine);
    for (let i = 0; i < runs; i += 1) {
      const at = performance.now();
      const { code, output } = await oneShotRun(exercise);
      mine.ms.push(performance.now() - at);
      if (code === 0) mine.passed += 1;
      else failures.push(`${folderOf(exercise)} run ${i + 1} (exit ${code}):\n${output}`);
    }
  }
}

async function lane(list: Exercise[]): Promise<void> {
  if (oneShot) return oneShotLane(list);
  const session = await WarmChecks.open({ target: 'solutions', print: false, services });
  try {
    for (const exercise of list) {
      const mine = { passed: 0, ms: [] as number[] };
      figures.set(exercise.id, mine);
      for (let i = 0; i < runs; i += 1) {
        const at = performance.now();
        const summary = await session.run({ exercise });
        mine.ms.push(performance.now() - at);
        const result = summary.results[0];
        if (result && !result.fileError && result.failed === 0 && result.passed > 0) mine.passed += 1;
        else
          failures.push(
            `${folderOf(exercise)} run ${i + 1}: ${result?.fileError ?? ''}${(result?.checks ?? [])
              .filter((c) => !c.passed)
              .map((c) => `\n  ✗ ${c.name}\n${c.message ?? ''}`)
              .join('')}`,
          );
      }
    }
  } finally {
    await session.close();
  }
}

const started = performance.now();
try {
  // Two lanes of about equal length: the slow exercises (01, 09, 10) split between them.
  const byId = (ids: string[]) => exercises.filter((e) => ids.includes(e.id));
  await Promise.all([lane(byId(['01', '02', '03', '04', '05', '06'])), lane(byId(['07', '08', '09', '10', '11']))]);
} finally {
  await services.stop();
}
for (const exercise of exercises) {
  const f = figures.get(exercise.id);
  if (!f) continue;
  const sorted = [...f.ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(`${folderOf(exercise)}: ${f.passed} of ${runs} runs passed (median ${(median / 1000).toFixed(2)} s)`);
}
for (const failure of failures) console.log(`\n✗ ${failure}`);
console.log(
  `\n${failures.length} failure(s) in ${figures.size * runs} runs, ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
