// A run's Postgres databases, one per worker slot, each owned by a login role made for it alone
// (same name): the learner's code connects as that role, which can do nothing outside its own
// database. Kept apart from course.ts so the run's global setup can start making them while
// the check processes boot, without loading the check files' heavier parts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { databaseName, runComment } from './run-names.ts';
import { projectRoot } from './services.ts';

/** Thrown when the admin role lacks a right the sandbox needs; the message says how to grant it. */
export class PrivilegeError extends Error {
  override name = 'PrivilegeError';
}

interface AdminRights {
  rolsuper: boolean;
  rolcreatedb: boolean;
  rolcreaterole: boolean;
  user: string;
}

async function rightsOf(admin: pg.Client): Promise<AdminRights> {
  const { rows } = await admin.query<AdminRights>(
    'SELECT rolsuper, rolcreatedb, rolcreaterole, current_user AS user FROM pg_roles WHERE rolname = current_user',
  );
  return rows[0] ?? { rolsuper: false, rolcreatedb: false, rolcreaterole: false, user: '?' };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A race on a unique name (two CREATEs at once) or the object already there. */
const alreadyThere = (error: unknown) => ['42P04', '42710', '23505'].includes((error as { code?: string }).code ?? '');

/**
 * Makes the slot's role and database (the role owns the database), or finds them made already
 * by the run's global setup or an earlier file of the same worker. Returns whether this call
 * created the database. Names carry the run's random id: never anyone else's.
 */
export async function ensureRunDatabase(admin: pg.Client, runId: string, slot: string | number): Promise<boolean> {
  const name = databaseName(runId, slot);
  const rights = await rightsOf(admin);
  if (!rights.rolsuper && !rights.rolcreatedb) {
    throw new PrivilegeError(
      `the role "${rights.user}" may not create databases. Grant it: ALTER ROLE ${quote(rights.user)} CREATEDB;`,
    );
  }
  if (!rights.rolsuper && !rights.rolcreaterole) {
    throw new PrivilegeError(
      `the role "${rights.user}" may not create roles, and your code runs as a role made for the run (so it cannot reach ` +
        `anything else on the server). Grant it: ALTER ROLE ${quote(rights.user)} CREATEROLE;`,
    );
  }
  try {
    // One transaction: a run killed at any moment leaves either no role or one that carries its
    // comment, the proof (beside the name) that release.ts may drop it. No password: the check
    // process sets a fresh one before handing the role to the learner's code.
    await admin.query(`BEGIN;
      CREATE ROLE ${quote(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
      COMMENT ON ROLE ${quote(name)} IS '${runComment(runId)}';
      ${rights.rolsuper ? '' : `GRANT ${quote(name)} TO CURRENT_USER;` /* to make it a database's owner */}
      COMMIT`);
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => {});
    if (!alreadyThere(error)) throw error;
  }
  try {
    // Owned by the role of the same name from its first moment: that ownership is its proof.
    await admin.query(`CREATE DATABASE ${quote(name)} OWNER ${quote(name)}`);
  } catch (error) {
    if (alreadyThere(error)) return false;
    throw error;
  }
  await admin.query(`COMMENT ON DATABASE ${quote(name)} IS '${runComment(runId)}'`);
  return true;
}

/** Gives the slot's role a new password (a run's roles are made without one) and returns it. */
export async function setRolePassword(
  admin: pg.Client,
  runId: string,
  slot: string | number,
  password: string,
): Promise<void> {
  await admin.query(`ALTER ROLE ${quote(databaseName(runId, slot))} PASSWORD '${password.replace(/'/g, "''")}'`);
}

/** The course's tables (db/schema.sql), as every exercise uses them. */
export const SCHEMA_SQL = readFileSync(join(projectRoot, 'db', 'schema.sql'), 'utf8');

// Drops every schema an earlier file of the run made or filled (public included), then gives back an empty public.
export const EMPTY_DATABASE = `DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP; END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC;`;

/**
 * One script, one round trip, one commit: the emptying (when an earlier file used the database),
 * the course's tables, and the learner role's rights on them. Run as the admin, in the database.
 */
export function schemaSql(role: string, { empty }: { empty: boolean }): string {
  return `${empty ? EMPTY_DATABASE : ''}\n${SCHEMA_SQL}\n${grantsFor(role)}`;
}

/** What the learner's role may do with the course's tables: read and write rows, nothing more. */
function grantsFor(role: string): string {
  return `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES ON ALL TABLES IN SCHEMA public TO ${quote(role)};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${quote(role)};`;
}

/**
 * Starts making the role and database of a run's first `slots` workers and resolves when done.
 * Never rejects: a file that finds its database missing makes it itself, and says why if it cannot.
 */
export async function prepareRunDatabases(
  postgresUrl: string,
  runId: string,
  slots: number,
  applicationName: string,
): Promise<void> {
  const { default: pgModule } = await import('pg');
  await Promise.allSettled(
    Array.from({ length: slots }, async (_, i) => {
      const admin = new pgModule.Client({
        connectionString: postgresUrl,
        connectionTimeoutMillis: 5000,
        application_name: applicationName,
      });
      admin.on('error', () => {});
      try {
        await admin.connect();
        await ensureRunDatabase(admin, runId, i + 1);
      } finally {
        await admin.end().catch(() => {});
      }
    }),
  );
}
