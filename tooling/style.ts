// Terminal styling for every command of the course, with picocolors. Colours are on when the
// output is a terminal (not a dumb one), or FORCE_COLOR asks for them, and off with NO_COLOR.
// Unlike picocolors' own default, a CI environment alone does not turn them on: logs stay plain.
import pc from 'picocolors';

const env = process.env;
export const isColorSupported =
  !('NO_COLOR' in env) && ('FORCE_COLOR' in env || (process.stdout.isTTY === true && env.TERM !== 'dumb'));

export const { green, red, dim, bold, yellow, cyan } = pc.createColors(isColorSupported);
