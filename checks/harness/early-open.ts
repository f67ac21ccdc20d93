// Setup file of the check processes, after the watchdog, always run by Vitest's runner:
//   - leaves an import() of its own for Course.load, so that the code under check is compiled by
//     Vitest's runner even where the harness itself was loaded compiled (`npm test`, see
//     tooling/one-shot.mjs);
//   - starts opening the file's database, Redis space and gates (Course.open takes them), so that
//     the servers' round trips overlap the loading of the check file and the code under check.
import { inject } from 'vitest';
import { IMPORT_UNDER_CHECK } from './course.ts';
import { openEarly } from './parts.ts';

(globalThis as { [IMPORT_UNDER_CHECK]?: (url: string) => Promise<unknown> })[IMPORT_UNDER_CHECK] = (url) => import(url);
openEarly(inject('services'), inject('course'));
