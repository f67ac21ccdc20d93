// What the guided runner (`npm run learn`, ./learn.ts) says, as named constants.
import type { Exercise } from '../../manifest.ts';
import { redact } from '../../tooling/services.ts';
import { bold, green, red } from '../../tooling/style.ts';
import { progressBar } from '../display.ts';

export { ALL_DONE } from '../messages.ts';

export const FINDING_SERVICES = 'Finding Postgres and Redis…';
export const USING_SERVICES = (source: string, postgresUrl: string, redisUrl: string) =>
  `Using ${source}: ${redact(postgresUrl)} and ${redact(redisUrl)}. They stay up until you quit.`;
export const CHECKING_EARLIER = (ids: string[]) => `Checking your earlier work on ${ids.join(', ')}…`;
export const CHECKING = 'Checking…';
export const KEYS_LINE = 'Enter check · n next · h hint · l list · r reset · s solution · t task · q quit';
export const MANUAL_MODE = 'Manual mode: save, then press Enter to check.';
export const NO_EVENTS =
  'Your save reached the file but no file-change event did (a network drive, or WSL with the course on a Windows path?). ' +
  'It is checked all the same, a little late; npm run learn -- --manual checks the moment you press Enter.';
export const PASSED = (exercise: Exercise, total: number) =>
  `${green('✓')} ${bold(`${exercise.id} ${exercise.slug}`)}: all ${total} checks pass.`;
export const FAILED = (exercise: Exercise, passed: number, total: number) =>
  `${red('✗')} ${bold(`${exercise.id} ${exercise.slug}`)}: ${passed} of ${total} checks pass. Fix the first ✗ above and save: the checks run again.`;
export const COULD_NOT_RUN = (exercise: Exercise) =>
  `${red('✗')} ${bold(`${exercise.id} ${exercise.slug}`)}: the checks could not run (see above). Save the file to try again.`;
export const NEXT_UP = (exercise: Exercise) => `Next: ${exercise.id} · ${exercise.title}. Press n to move on.`;
export const COMPARE = (hints: number) =>
  `Compare: s shows the reference solution beside yours${hints > 0 ? `, h all ${hints} hints` : ''}.`;
export const ONLY_ONE_LEFT = (id: string) =>
  `${id} is the only exercise not done yet: finish it to complete the course.`;
export const SKIPPING = (id: string) => `(${id} is not done yet: come back to it any time, l lists what is left.)`;
export const FILE_MISSING = (file: string) => `${file} is missing: press r to put the stub back.`;
export const STOPPING = 'Stopping… (Ctrl-C again to stop at once)';
export const BYE = (done: number, total: number) =>
  `Bye. ${progressBar(done, total)}. npm run learn picks up where you left off.`;
