// Names shared by the harness's parts that must not import each other.
import { join } from 'node:path';
import { projectRoot } from './services';

/** Where the watchdog notes which check froze its process (read by the reporter). */
export const FROZEN_DIR = join(projectRoot, '.course', 'frozen');

/** The key that marks a Redis logical database as claimed by one check file of one run. */
export const OWNER_KEY = 'course:check-owner';

/** Where each open check file leaves a note, removed when it has cleaned up after itself. */
export const OPEN_DIR = join(projectRoot, '.course', 'open');
