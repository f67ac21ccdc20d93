import { readdirSync } from 'node:fs';
import { runChecks } from '../checks/harness/run';
import { findExercise } from '../manifest';
const root = process.argv[2]!;
const only = process.argv.slice(3);
for (const variant of readdirSync(root).sort()) {
  if (only.length && !only.includes(variant)) continue;
  const folder = readdirSync(`${root}/${variant}`)[0]!;
  const ex = findExercise(folder)!;
  const s = await runChecks({ exercises: [ex], target: `${root}/${variant}`, print: false });
  const r = s.results[0];
  const failed = r?.checks.filter((c) => !c.passed) ?? [];
  console.log(`${failed.length ? 'CAUGHT ' : 'MISSED '} ${variant} (${folder}): ${failed.length} failing${r?.fileError ? ' [file error: ' + r.fileError.split('\n')[0] + ']' : ''}`);
  for (const c of failed.slice(0, 3)) console.log(`    ✗ ${c.name}\n      ${(c.message ?? '').split('\n').join('\n      ')}`);
}
