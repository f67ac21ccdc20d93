// The machine's processes as /proc lists them (Linux): to see which processes a run holds and
// whether any outlived it.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  parent: number;
  /** Its process group. */
  group: number;
  /** R, S, D, Z (a zombie: ended, waiting to be collected), … */
  state: string;
  cmdline: string;
}

export function processes(): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), parent: Number(parent), group: Number(group), state: state!, cmdline });
    } catch {
      // ended meanwhile
    }
  }
  return found;
}
