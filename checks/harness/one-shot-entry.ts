// What `npm test` (scripts/test.mjs) runs in its own process, in one module: the catalog, the
// reporter and the run's global setup. tooling/one-shot.mjs compiles it into one JavaScript file,
// kept until one of its sources changes, so that a one-shot run loads it as Node loads any
// module, with no TypeScript compiled on the way.
export { catalog } from '../../tooling/catalog.ts';
export { exercises, findExercise, folderOf } from '../../manifest.ts';
export { default as Reporter } from './reporter.ts';
export { startRun } from './global-setup.ts';
export { CHECK_PROCESSES } from '../../tooling/check-processes.ts';
