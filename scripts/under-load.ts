// Runs a command while other processes keep every core busy, as a learner's laptop often is (a
// browser, an editor, a build), some number of times in a row, and says how many runs passed. A
// test whose verdict depends on how fast the machine is fails here first.
//   node --import tsx scripts/under-load.ts [--times N] [--busy N] -- <command> [args…]
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `Usage
  node --import tsx scripts/under-load.ts [--times N] [--busy N] -- <command> [args…]

Options
  --times N   run the command N times in a row (default 1)
  --busy N    busy processes beside it (default: one per core)

Examples
  node --import tsx scripts/under-load.ts --times 10 -- npx vitest run --config vitest.unit.config.ts tests/unit/one-shot.test.ts
  node --import tsx scripts/under-load.ts -- npm run verify`;

/** Processes that spin on the processor until ended: the load. */
export function startLoad(count = availableParallelism()): { stop(): void } {
  const busy: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  const stop = () => {
    for (const child of busy) child.kill('SIGKILL');
  };
  process.once('exit', stop);
  return { stop };
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const split = process.argv.indexOf('--');
  const own = split < 0 ? process.argv.slice(2) : process.argv.slice(2, split);
  const command = split < 0 ? [] : process.argv.slice(split + 1);
  const { values } = parseArgs({ args: own, options: { times: { type: 'string' }, busy: { type: 'string' } } });
  if (command.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const times = Math.max(1, Number(values.times ?? 1));
  const load = startLoad(values.busy === undefined ? undefined : Number(values.busy));
  let passed = 0;
  try {
    for (let i = 1; i <= times; i++) {
      const started = performance.now();
      const code = await run(command[0]!, command.slice(1));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `\n[under load] run ${i} of ${times}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds} s`,
      );
      if (code === 0) passed += 1;
    }
  } finally {
    load.stop();
  }
  console.log(`${passed} passed, ${times - passed} failed`);
  return passed === times ? 0 : 1;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) process.exitCode = await main();
