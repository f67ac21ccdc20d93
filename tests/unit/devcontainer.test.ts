// The dev container a learner without local Docker can start from: its config parses, names the
// course's own services and URLs, forwards the lessons' port, and runs commands that exist.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../support/run-to-end.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const config = JSON.parse(read('.devcontainer/devcontainer.json')) as {
  dockerComposeFile: string[];
  service: string;
  runServices: string[];
  containerEnv: Record<string, string>;
  forwardPorts: number[];
  postCreateCommand: string;
  postAttachCommand: string;
};
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const hasCompose = spawnSync('docker-compose', ['version']).status === 0;

describe('the dev container', () => {
  it("runs its own Node 20 service beside the course's postgres and redis", () => {
    for (const file of config.dockerComposeFile) expect(existsSync(join(root, '.devcontainer', file)), file).toBe(true);
    const own = read('.devcontainer/docker-compose.yml');
    expect(own).toMatch(new RegExp(`^  ${config.service}:`, 'm'));
    expect(own).toMatch(/typescript-node:[^\s]*20/);
    const course = read('docker-compose.yml');
    for (const service of config.runServices.filter((s) => s !== config.service)) {
      expect(course).toMatch(new RegExp(`^  ${service}:`, 'm'));
    }
  });

  it('sets the URLs of those services, with the credentials docker-compose.yml gives them', () => {
    const course = read('docker-compose.yml');
    const pg = new URL(config.containerEnv.DATABASE_URL!);
    expect(pg.hostname).toBe('postgres');
    expect(course).toContain(`POSTGRES_USER: ${pg.username}`);
    expect(course).toContain(`POSTGRES_PASSWORD: ${pg.password}`);
    expect(course).toContain(`POSTGRES_DB: ${pg.pathname.slice(1)}`);
    expect(new URL(config.containerEnv.REDIS_URL!).hostname).toBe('redis');
  });

  it('forwards the port the lessons are served on, and runs commands the course has', () => {
    expect(config.forwardPorts).toContain(5173);
    expect(scripts.docs).toMatch(/^vitepress dev docs/);
    expect(config.postCreateCommand).toBe('npm install');
    const attach = /^npm run (\S+)$/.exec(config.postAttachCommand);
    expect(attach && scripts[attach[1]!]).toBeTruthy();
  });

  it.skipIf(!hasCompose)('composes with docker-compose.yml into a valid configuration', () => {
    const result = spawnSync(
      'docker-compose',
      ['-f', 'docker-compose.yml', '-f', '.devcontainer/docker-compose.yml', 'config', '-q'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(result.status, result.stderr).toBe(0);
  });

  it('has a VS Code task that checks the exercise in the open file, by its folder name', async () => {
    const tasks = JSON.parse(read('.vscode/tasks.json')) as { tasks: { label: string; command: string }[] };
    const task = tasks.tasks.find((t) => t.label === 'Check this exercise');
    expect(task?.command).toBe('npm test -- ${fileDirnameBasename}');
    // What the task runs for exercises/02-source-of-truth/users.ts, here against the solution.
    const child = spawn(process.execPath, ['scripts/test.mjs', '--solutions', '02-source-of-truth'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const run = await runToEnd(child);
    expect(run.stdout).toMatch(/✓ 02 source-of-truth: all \d+ checks pass/);
    expect(run.code).toBe(0);
  });
});
