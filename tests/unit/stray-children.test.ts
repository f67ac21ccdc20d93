// A command that has printed its verdict ends what it started and left running (scripts/verify.ts).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childPids, endStrayChildren } from '../../tooling/stray-children.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(process.platform === 'linux')('endStrayChildren', () => {
  it('ends the children still running, even one that ignores SIGTERM, and counts them', async () => {
    const polite = spawn('sleep', ['30'], { stdio: 'ignore' });
    const stubborn = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(childPids()).toEqual(expect.arrayContaining([polite.pid, stubborn.pid]));
    const exited = Promise.all([polite, stubborn].map((c) => new Promise((r) => c.once('exit', r))));
    expect(await endStrayChildren(500)).toBeGreaterThanOrEqual(2);
    await exited;
    expect(alive(polite.pid!) || alive(stubborn.pid!)).toBe(false);
    expect(childPids()).not.toContain(stubborn.pid);
  });
});
