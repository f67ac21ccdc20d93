// Creating a run's Postgres databases. Kept apart from course.ts so the run's global setup can
// start creating them without loading the check files' heavier parts.
import type pg from 'pg';
import { databaseName } from './names';

/**
 * Creates a database of the run, or finds it made already (by the run's global setup, or an
 * earlier file of the same worker): a CREATE racing another waits for it, then reports the name
 * taken. Returns whether this call created it. Names carry the run's random id: never anyone else's.
 */
export async function createRunDatabase(admin: pg.Client, name: string, runId: string): Promise<boolean> {
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false; // duplicate_database, or the race on its unique name
    throw error;
  }
  await admin.query(`COMMENT ON DATABASE "${name}" IS 'course checks, run ${runId}: dropped when the run ends'`);
  return true;
}

/**
 * Starts creating the databases of a run's first `slots` workers and resolves when done. Never
 * rejects: a file that finds its database missing creates it itself, and says why if it cannot.
 */
export async function prepareRunDatabases(postgresUrl: string, runId: string, slots: number): Promise<void> {
  const { default: pgModule } = await import('pg');
  await Promise.allSettled(
    Array.from({ length: slots }, async (_, i) => {
      const admin = new pgModule.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
      admin.on('error', () => {});
      try {
        await admin.connect();
        await createRunDatabase(admin, databaseName(runId, i + 1), runId);
      } finally {
        await admin.end().catch(() => {});
      }
    }),
  );
}
