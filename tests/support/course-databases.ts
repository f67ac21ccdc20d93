// The databases the checks create (course_check_<run>_w<N>), seen from a test's own connection.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type pg from 'pg';

export async function courseDatabases(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'course\\_check\\_%'",
  );
  return rows.map((r) => r.datname);
}

/** Waits (up to 20 s) for the course database of run `runId`, and returns its name. */
export async function databaseOfRun(admin: pg.Client, runId: string): Promise<string | undefined> {
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    const made = (await courseDatabases(admin)).find((name) => name.includes(`_${runId}_`));
    if (made) return made;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

/** The local TCP ports of the sockets process `pid` holds open (Linux: /proc). */
function localPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && inodes.has(fields[9]!)) ports.add(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/**
 * The id of the run that process `pid` holds now (its live connection to Postgres, named
 * course-run-<id>), waiting up to 20 s for it. Other runs on the same servers (tests side by side)
 * cannot be mistaken for it, as a database that merely appeared could.
 */
export async function runOfProcess(admin: pg.Client, pid: number): Promise<string | undefined> {
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    const ports = [...localPorts(pid)];
    if (ports.length > 0) {
      const { rows } = await admin.query<{ name: string }>(
        "SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'course-run-%' AND client_port = ANY($1::int[])",
        [ports],
      );
      const id = rows[0]?.name.slice('course-run-'.length);
      if (id) return id;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
