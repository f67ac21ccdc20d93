// The databases the checks create (course_check_<run>_w<N>), seen from a test's own connection.
import type pg from 'pg';

export async function courseDatabases(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'course\\_check\\_%'",
  );
  return rows.map((r) => r.datname);
}

/** Waits (up to 20 s) for a course database that is not among `before`, and returns its name. */
export async function newCourseDatabase(admin: pg.Client, before: ReadonlySet<string>): Promise<string | undefined> {
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    const made = (await courseDatabases(admin)).find((name) => !before.has(name));
    if (made) return made;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
