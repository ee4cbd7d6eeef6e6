import { JOB_STATES, type Job, type JobState } from "./job-store.ts";

/**
 * The job tables. `deliveries` maps every webhook delivery id to the job it produced or joined, so
 * a redelivery finds its job even when it joined an existing one. The partial unique index makes
 * "one active job per (repository, issue, trigger)" a constraint, not just a habit of `enqueue`.
 * `runs` records each start, for the runs-per-hour cap.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL,
  installation_id INTEGER NOT NULL,
  repository TEXT NOT NULL,
  issue_number INTEGER NOT NULL,
  trigger_key TEXT NOT NULL,
  triggered_by TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN (${JOB_STATES.map((s) => `'${s}'`).join(", ")})),
  stage TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  worker_id TEXT,
  reason TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  heartbeat_at INTEGER,
  finished_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_active_per_key
  ON jobs (repository, issue_number, trigger_key) WHERE state IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state);
CREATE TABLE IF NOT EXISTS deliveries (
  delivery_id TEXT PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs (id)
);
CREATE TABLE IF NOT EXISTS runs (
  job_id INTEGER NOT NULL REFERENCES jobs (id),
  repository TEXT NOT NULL,
  started_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_repository ON runs (repository, started_at);
`;

type Row = Record<string, unknown>;

export function jobFromRow(row: Row): Job {
  return {
    id: Number(row.id),
    deliveryId: String(row.delivery_id),
    installationId: Number(row.installation_id),
    repository: String(row.repository),
    issueNumber: Number(row.issue_number),
    trigger: String(row.trigger_key),
    triggeredBy: String(row.triggered_by),
    state: stateOf(row.state),
    stage: optionalString(row.stage),
    attempts: Number(row.attempts),
    workerId: optionalString(row.worker_id),
    reason: optionalString(row.reason),
    createdAt: Number(row.created_at),
    startedAt: optionalNumber(row.started_at),
    heartbeatAt: optionalNumber(row.heartbeat_at),
    finishedAt: optionalNumber(row.finished_at),
  };
}

function stateOf(value: unknown): JobState {
  const state = JOB_STATES.find((s) => s === value);
  if (state === undefined) throw new Error(`job row with unknown state ${String(value)}`);
  return state;
}

const optionalString = (value: unknown) =>
  value === null || value === undefined ? undefined : String(value);
const optionalNumber = (value: unknown) =>
  value === null || value === undefined ? undefined : Number(value);
