import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type { Environment } from "../config/environment.ts";
import { AutofixError } from "../errors.ts";
import {
  type ConcurrencyLimits,
  type EnqueueRequest,
  type EnqueueResult,
  type FinalOutcome,
  JOB_STATES,
  type Job,
  type JobState,
  type JobStore,
  type RecoveryOptions,
  type RecoveryResult,
} from "./job-store.ts";
import { INBOX_SCHEMA, sqliteInbox } from "./sqlite-inbox.ts";
import { jobFromRow, SCHEMA } from "./sqlite-schema.ts";

export type SqliteJobStoreOptions = {
  /** A file path, or `:memory:`. */
  path: string;
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  now?: () => number;
  /** How long a connection waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
};

/** `AUTOFIX_DB`, or `.autofix/autofix.db` under the working directory. */
export function jobDbPath(environment: Environment, cwd: string): string {
  const configured = environment.values.AUTOFIX_DB;
  if (configured === ":memory:") return configured;
  return resolve(cwd, configured !== undefined && configured !== "" ? configured : ".autofix/autofix.db");
}

const ACTIVE = "state IN ('queued', 'running')";
const HOUR_MS = 3_600_000;

/**
 * The JobStore on Node's built-in SQLite (`node:sqlite`, no native addon). Every state change runs in
 * a `BEGIN IMMEDIATE` transaction, so several processes sharing the file serialize on its write lock:
 * a claim is atomic across workers, not just within one.
 */
export function openSqliteJobStore(options: SqliteJobStoreOptions): JobStore {
  const now = options.now ?? Date.now;
  const db = openDatabase(options.path, options.busyTimeoutMs ?? 5_000);

  function transaction<T>(work: () => T): T {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
  const one = (sql: string, ...params: SQLInputValue[]) => db.prepare(sql).get(...params);
  const all = (sql: string, ...params: SQLInputValue[]) => db.prepare(sql).all(...params);
  const run = (sql: string, ...params: SQLInputValue[]) => db.prepare(sql).run(...params);
  const jobById = (id: number | bigint): Job | undefined => {
    const row = one("SELECT * FROM jobs WHERE id = ?", id);
    return row === undefined ? undefined : jobFromRow(row);
  };
  const mustGet = (id: number | bigint): Job => {
    const job = jobById(id);
    if (job === undefined) throw new Error(`job ${id} vanished inside a transaction`);
    return job;
  };

  return {
    ...sqliteInbox(db, now, transaction),

    enqueue(request: EnqueueRequest): EnqueueResult {
      return transaction(() => {
        const known = one("SELECT job_id FROM deliveries WHERE delivery_id = ?", request.deliveryId);
        if (known !== undefined) return { job: mustGet(Number(known.job_id)), created: false };
        const active = one(
          `SELECT id FROM jobs WHERE repository = ? AND issue_number = ? AND trigger_key = ? AND ${ACTIVE}`,
          request.repository,
          request.issueNumber,
          request.trigger,
        );
        let jobId: number | bigint;
        if (active !== undefined) {
          jobId = Number(active.id);
        } else {
          jobId = run(
            `INSERT INTO jobs (delivery_id, installation_id, repository, issue_number, trigger_key,
               triggered_by, state, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?)`,
            request.deliveryId,
            request.installationId,
            request.repository,
            request.issueNumber,
            request.trigger,
            request.triggeredBy,
            now(),
          ).lastInsertRowid;
        }
        run("INSERT INTO deliveries (delivery_id, job_id) VALUES (?, ?)", request.deliveryId, jobId);
        return { job: mustGet(jobId), created: active === undefined };
      });
    },

    claim(workerId: string, limits: ConcurrencyLimits): Job | undefined {
      return transaction(() => {
        const row = one(
          `SELECT q.id, q.repository FROM jobs q
           WHERE q.state = 'queued'
             AND (SELECT COUNT(*) FROM jobs r WHERE r.state = 'running'
                   AND r.installation_id = q.installation_id) < ?
             AND (SELECT COUNT(*) FROM jobs r WHERE r.state = 'running' AND r.repository = q.repository) < ?
             AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.state = 'running'
                   AND r.repository = q.repository AND r.issue_number = q.issue_number)
           ORDER BY q.id LIMIT 1`,
          limits.perInstallation,
          limits.perRepository,
        );
        if (row === undefined) return undefined;
        const at = now();
        run(
          `UPDATE jobs SET state = 'running', worker_id = ?, stage = NULL, attempts = attempts + 1,
             started_at = ?, heartbeat_at = ? WHERE id = ?`,
          workerId,
          at,
          at,
          Number(row.id),
        );
        run(
          "INSERT INTO runs (job_id, repository, started_at) VALUES (?, ?, ?)",
          Number(row.id),
          String(row.repository),
          at,
        );
        return mustGet(Number(row.id));
      });
    },

    heartbeat(jobId: number, workerId: string, stage?: string): boolean {
      const changes = run(
        `UPDATE jobs SET heartbeat_at = ?, stage = COALESCE(?, stage)
         WHERE id = ? AND worker_id = ? AND state = 'running'`,
        now(),
        stage ?? null,
        jobId,
        workerId,
      ).changes;
      return Number(changes) === 1;
    },

    finish(jobId: number, workerId: string, outcome: FinalOutcome, reason?: string): boolean {
      const changes = run(
        `UPDATE jobs SET state = ?, reason = ?, finished_at = ?
         WHERE id = ? AND worker_id = ? AND state = 'running'`,
        outcome,
        reason ?? null,
        now(),
        jobId,
        workerId,
      ).changes;
      return Number(changes) === 1;
    },

    cancel(repository: string, issueNumber: number, reason: string): Job[] {
      return transaction(() => {
        const ids = all(
          `SELECT id FROM jobs WHERE repository = ? AND issue_number = ? AND ${ACTIVE}`,
          repository,
          issueNumber,
        ).map((row) => Number(row.id));
        for (const id of ids) {
          run(
            "UPDATE jobs SET state = 'cancelled', reason = ?, finished_at = ? WHERE id = ?",
            reason,
            now(),
            id,
          );
        }
        return ids.map(mustGet);
      });
    },

    recoverStale({ staleAfterMs, maxAttempts }: RecoveryOptions): RecoveryResult {
      return transaction(() => {
        const stale = all(
          "SELECT id, attempts FROM jobs WHERE state = 'running' AND heartbeat_at < ?",
          now() - staleAfterMs,
        );
        const result: RecoveryResult = { requeued: [], failed: [] };
        for (const row of stale) {
          const id = Number(row.id);
          if (Number(row.attempts) >= maxAttempts) {
            run(
              `UPDATE jobs SET state = 'failed', worker_id = NULL, finished_at = ?,
                 reason = ? WHERE id = ?`,
              now(),
              `the worker stopped responding ${row.attempts} time(s) (the App was restarted or crashed mid-run)`,
              id,
            );
            result.failed.push(id);
          } else {
            run("UPDATE jobs SET state = 'queued', worker_id = NULL, stage = NULL WHERE id = ?", id);
            result.requeued.push(id);
          }
        }
        return result;
      });
    },

    release(workerId: string): number[] {
      return transaction(() => {
        const ids = all("SELECT id FROM jobs WHERE state = 'running' AND worker_id = ?", workerId).map(
          (row) => Number(row.id),
        );
        for (const id of ids) {
          run(
            `UPDATE jobs SET state = 'queued', worker_id = NULL, stage = NULL,
               attempts = MAX(attempts - 1, 0) WHERE id = ?`,
            id,
          );
        }
        return ids;
      });
    },

    recentRunStarts(repository: string): number[] {
      return all(
        "SELECT started_at FROM runs WHERE repository = ? AND started_at >= ? ORDER BY started_at",
        repository,
        now() - HOUR_MS,
      ).map((row) => Number(row.started_at));
    },

    countByState(repository?: string): Record<JobState, number> {
      const rows =
        repository === undefined
          ? all("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
          : all("SELECT state, COUNT(*) AS n FROM jobs WHERE repository = ? GROUP BY state", repository);
      const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
      for (const row of rows) {
        const state = JOB_STATES.find((s) => s === row.state);
        if (state !== undefined) counts[state] = Number(row.n);
      }
      return counts;
    },

    byDelivery(deliveryId: string): Job | undefined {
      const row = one("SELECT job_id FROM deliveries WHERE delivery_id = ?", deliveryId);
      return row === undefined ? undefined : jobById(Number(row.job_id));
    },

    runsInLastHour(repository: string): number {
      const row = one(
        "SELECT COUNT(*) AS n FROM runs WHERE repository = ? AND started_at >= ?",
        repository,
        now() - HOUR_MS,
      );
      return Number(row?.n ?? 0);
    },

    get: (jobId) => jobById(jobId),

    forIssue(repository: string, issueNumber: number): Job[] {
      return all(
        "SELECT * FROM jobs WHERE repository = ? AND issue_number = ? ORDER BY id DESC",
        repository,
        issueNumber,
      ).map(jobFromRow);
    },

    close: () => db.close(),
  };
}

function openDatabase(path: string, busyTimeoutMs: number): DatabaseSync {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
    db.exec(SCHEMA);
    db.exec(INBOX_SCHEMA);
    return db;
  } catch (error) {
    throw new AutofixError("job_db_unavailable", `cannot open the job database at ${path}`, {
      hint: "set AUTOFIX_DB to a writable file path (the directory is created), or mount a volume there",
      context: { path },
      cause: error,
    });
  }
}
