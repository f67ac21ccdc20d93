// The processes a command started and left running: a check process a pool started ahead while its
// session was closing, say. A command that has printed its verdict ends them before it exits, so
// nothing it made outlives it (the servers' side of a run is released by its keeper).
import { readdirSync, readFileSync } from 'node:fs';

/** The pids whose parent is this process (Linux's /proc; elsewhere, none are found). */
export function childPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    try {
      // pid (comm) state ppid …: the command may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

/** The command name of a process, or '' once it is gone. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * Ends every child still running: SIGTERM, then SIGKILL for those still there after `graceMs`.
 * Returns how many there were, leaving out esbuild's service, which its API keeps by design.
 */
export async function endStrayChildren(graceMs = 2000): Promise<number> {
  const pids = childPids();
  const strays = pids.filter((pid) => commandOf(pid) !== 'esbuild').length;
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  for (const until = Date.now() + graceMs; Date.now() < until && childPids().length;)
    await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of childPids()) signal(pid, 'SIGKILL');
  return strays;
}
