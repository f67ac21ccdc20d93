// One check file's Postgres: the worker's run database, emptied for this file, with the
// course's tables; the learner's role (same name) with a fresh password; and the harness's own
// pool there, as the admin, for seeding and inspecting.
import pg from 'pg';
import { ensureRunDatabase, PrivilegeError, schemaSql, setRolePassword } from '../../tooling/run-database.ts';
import { databaseName, liveName } from '../../tooling/run-names.ts';
import { redact } from '../../tooling/services.ts';
import { CheckFailure } from './teach.ts';
import { withDeadline } from '../../tooling/deadline.ts';

/**
 * Writes the script that empties every table of the schema (db/schema.sql) and restarts its
 * identity columns: tables that others reference are emptied after those referencing them, so the
 * script follows the schema as tables are added.
 */
const EMPTYING_SQL = `WITH RECURSIVE
  tables AS (SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'),
  refs AS (SELECT conrelid AS child, confrelid AS parent FROM pg_constraint
           WHERE contype = 'f' AND conrelid <> confrelid AND connamespace = 'public'::regnamespace),
  depth(oid, d) AS (SELECT oid, 0 FROM tables
                    UNION ALL SELECT r.parent, depth.d + 1 FROM depth JOIN refs r ON r.child = depth.oid WHERE depth.d < 50),
  ordered AS (SELECT t.relname, max(depth.d) AS d FROM tables t JOIN depth ON depth.oid = t.oid GROUP BY t.relname)
SELECT coalesce(string_agg(format('DELETE FROM %I;', relname), ' ' ORDER BY d, relname), '') || ' ' ||
  coalesce((SELECT string_agg(format('ALTER TABLE %I ALTER COLUMN %I RESTART;', table_name, column_name), ' ')
            FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'), '') AS sql
FROM ordered`;

export class RunDatabase {
  readonly name: string;
  private admin?: pg.Client;
  private pool?: pg.Pool;
  /** The statements that empty the course's tables, read off the schema once it is loaded. */
  private emptying?: Promise<string>;

  constructor(
    private readonly postgresUrl: string,
    private readonly runId: string,
    private readonly slot: string,
    readonly rolePassword: string,
  ) {
    this.name = databaseName(runId, slot);
  }

  /** The harness's own pool on this database, as the admin role (not observed). */
  get db(): pg.Pool {
    if (!this.pool) throw new Error('course not open yet');
    return this.pool;
  }

  async open(): Promise<void> {
    // Every connection of the harness carries the run's live name: while one is open, no other run releases ours.
    const admin = new pg.Client({
      connectionString: this.postgresUrl,
      connectionTimeoutMillis: 5000,
      application_name: liveName(this.runId),
    });
    this.admin = admin;
    admin.on('error', () => {});
    await admin.connect();
    let created: boolean;
    try {
      created = await ensureRunDatabase(admin, this.runId, this.slot);
      await setRolePassword(admin, this.runId, this.slot, this.rolePassword);
    } catch (error) {
      throw new CheckFailure(
        `The checks work in a database of their own, created for this run and dropped after it, and your code logs in as a role ` +
          `made for the run; they never touch the database in DATABASE_URL (${redact(this.postgresUrl)}).\n` +
          `Making "${this.name}" failed: ${(error as Error).message}` +
          (error instanceof PrivilegeError
            ? ''
            : '\nGive that role the CREATEDB and CREATEROLE privileges (ALTER ROLE … CREATEDB CREATEROLE), or point DATABASE_URL at a server where it has them.'),
      );
    }
    // An earlier file of this worker used it: end whatever of its sessions lingers, then start empty.
    if (!created) await this.endSessions('all');
    const url = new URL(this.postgresUrl);
    url.pathname = `/${this.name}`;
    this.pool = new pg.Pool({ connectionString: url.toString(), max: 3, application_name: liveName(this.runId) });
    this.pool.on('error', () => {});
    await this.pool.query(schemaSql(this.name, { empty: !created }));
  }

  /** For the next run of a kept process: as a new database would be, with no session of the last run left. */
  async renew(): Promise<void> {
    await this.endSessions('learner');
    await this.db.query(schemaSql(this.name, { empty: true }));
  }

  /** Ends the sessions in this database: every other one, or the learner role's only (the harness's pool stays). */
  private async endSessions(whose: 'all' | 'learner'): Promise<void> {
    await this.admin!.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()${
        whose === 'learner' ? ' AND usename = $1' : ''
      }`,
      [this.name],
    );
  }

  /** Empties the tables. DELETE, not TRUNCATE: on a handful of rows it is several times faster, and every check pays it. */
  async reset(): Promise<void> {
    this.emptying ??= this.db.query<{ sql: string }>(EMPTYING_SQL).then(({ rows }) => rows[0]?.sql ?? '');
    await this.db.query(await this.emptying);
  }

  /** Ends the harness's connections; with `drop`, drops the database and the role too. */
  async close(drop: boolean): Promise<void> {
    if (this.pool)
      await withDeadline(
        this.pool.end().catch(() => {}),
        3000,
      );
    if (!this.admin) return;
    if (drop) {
      await this.admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`).catch(() => {});
      await this.admin.query(`DROP ROLE IF EXISTS "${this.name}"`).catch(() => {});
    }
    await this.admin.end().catch(() => {});
  }
}
