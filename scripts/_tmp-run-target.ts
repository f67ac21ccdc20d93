import { runChecks } from '/work/main/checks/harness/run';
import { findExercise } from '/work/main/manifest';
const s = await runChecks({ exercises: process.argv[3]!.split(',').map((i) => findExercise(i)!), target: process.argv[2] });
console.log(s.passed, s.failed);
