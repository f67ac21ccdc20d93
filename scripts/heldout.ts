// Judges a held-out set of attempts: files written from the READMEs alone by someone who never saw
// the checks, kept out of the repository (so the checks are never tuned to them). A wrong attempt is
// caught when `npm test NN`, run from the learner's seat with it in place, fails; a right one must
// pass. Unlike checks/attempts/, a held-out wrong attempt does not name the check that must fail:
// any failing check catches it. The last line is the catch rate, then "N passed, N failed".
//   node --import tsx scripts/heldout.ts <folder>
//   <folder>/NN-slug/wrong/*.ts and <folder>/NN-slug/right/*.ts
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exercises, folderOf } from '../manifest.ts';
import { projectRoot } from '../tooling/services.ts';
import { dim, green, red } from '../tooling/style.ts';

const folder = process.argv[2];
if (!folder || !existsSync(folder)) {
  console.error('Usage: node --import tsx scripts/heldout.ts <folder holding NN-slug/{wrong,right}/*.ts>');
  process.exit(2);
}

function run(target: string, id: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['scripts/test.mjs', id], {
      cwd: projectRoot,
      env: { ...process.env, COURSE_TARGET: target, COURSE_RESULTS_DIR: join(target, '.results'), CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => done({ code: code ?? 1, out }));
  });
}

const scratch = mkdtempSync(join(projectRoot, '.course', 'heldout-run-'));
let caught = 0;
let wrongTotal = 0;
let passed = 0;
let failed = 0;
const missed: string[] = [];
const jobs: { slug: string; kind: 'wrong' | 'right'; name: string; id: string; file: string; dir: string }[] = [];
for (const exercise of exercises) {
  const slug = folderOf(exercise);
  for (const kind of ['wrong', 'right'] as const) {
    const dir = resolve(folder, slug, kind);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort())
      jobs.push({ slug, kind, name, id: exercise.id, file: exercise.file, dir });
  }
}
// Lanes side by side: a run mostly waits on the timeouts its checks give the code.
const lanes = Math.max(1, Number(process.env.COURSE_HELDOUT_LANES) || 3);
async function lane(): Promise<void> {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    const { slug, kind, name } = job;
    const target = join(scratch, `${slug}-${kind}-${name.replace(/\.ts$/, '')}`);
    mkdirSync(join(target, slug), { recursive: true });
    copyFileSync(join(job.dir, name), join(target, slug, job.file));
    const { code, out } = await run(target, job.id);
    const failedChecks = [...out.matchAll(/^\s*✗ (.+)$/gm)].map((m) => m[1]!.trim());
    if (kind === 'wrong') {
      wrongTotal++;
      if (code !== 0) {
        caught++;
        passed++;
        console.log(`${green('✓')} ${slug} wrong/${name} ${dim(`caught by: ${failedChecks[0] ?? `exit ${code}`}`)}`);
      } else {
        failed++;
        missed.push(`${slug}/wrong/${name}`);
        console.log(`${red('✗')} ${slug} wrong/${name}: every check passed`);
      }
    } else if (code === 0) {
      passed++;
      console.log(`${green('✓')} ${slug} right/${name}`);
    } else {
      failed++;
      console.log(`${red('✗')} ${slug} right/${name} refused: ${failedChecks.join('; ') || `exit ${code}`}`);
    }
    rmSync(target, { recursive: true, force: true });
  }
}
try {
  await Promise.all(Array.from({ length: lanes }, lane));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const rate = wrongTotal ? ((100 * caught) / wrongTotal).toFixed(1) : '0';
if (missed.length) console.log(`\nLet through: ${missed.join(', ')}`);
console.log(`\nHeld-out wrong attempts caught: ${caught} of ${wrongTotal} (${rate} %)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
