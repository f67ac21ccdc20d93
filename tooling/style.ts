// Terminal styling for every command of the course: picocolors honours NO_COLOR and FORCE_COLOR,
// and paints only when the output is a terminal.
import pc from 'picocolors';

export const { green, red, dim, bold, yellow, cyan, isColorSupported } = pc;
