import { type ConfigProblem, validateConfig } from "../config/load.ts";
import type { AutofixConfig } from "../config/schema.ts";
import { type ConfigRead, canTrigger, type Forge, type RepoRole } from "../forge/forge.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { CapRefusal } from "./caps.ts";
import { CONFIG_PROBLEMS_MARKER, renderConfigProblems } from "./config-comment.ts";
import { queueRun } from "./queue-run.ts";

/** The facts of an `issues.labeled` delivery the decision needs. */
export type IssueLabeled = {
  issueNumber: number;
  labelName: string | undefined;
  senderType: string;
  senderLogin: string;
  deliveryId: string;
  installationId: number | undefined;
  /** Milliseconds since the epoch (tests pin it); the caps' "try again after" is computed from it. */
  now?: number;
};

export type LabeledOutcome =
  | { outcome: "ignored-bot" }
  | { outcome: "ignored-label"; label: string | undefined; trigger: string }
  | { outcome: "ignored-permission"; login: string; role: RepoRole }
  | { outcome: "config-invalid"; problems: ConfigProblem[]; comment: "created" | "updated" | "unchanged" }
  | { outcome: "capped"; refusal: CapRefusal; comment: "created" | "updated" | "unchanged" }
  | {
      outcome: "acknowledged";
      reaction: "created" | "existing";
      config: AutofixConfig;
      /** The queued job; `created: false` for a redelivery or while a job for the issue is active. */
      job: { id: number; created: boolean };
    };

const DEFAULT_LABEL = defaultLabel();

/**
 * `issues.labeled` → 👀 when the label is the repo's trigger label and the config is valid; one
 * config-problems comment (edited in place on redelivery) when it is not. Bots are ignored, and so
 * are people without write access (asked of the permission API: `author_association` says nothing
 * about a labeler's rights); they get no reaction and no comment.
 * An acknowledged label queues a job (idempotent by delivery id and by issue) unless a repository
 * cap refuses it (then one cap comment, no 👀); running it is the worker's.
 */
export async function onIssueLabeled(
  event: IssueLabeled,
  forge: Forge,
  jobs: JobStore,
): Promise<LabeledOutcome> {
  if (event.senderType === "Bot") return { outcome: "ignored-bot" };

  const read = await forge.readConfig();
  const result = validate(read);
  const trigger = result.ok ? result.config.label : labelOf(read);
  if (!sameLabel(event.labelName, trigger)) {
    return { outcome: "ignored-label", label: event.labelName, trigger };
  }

  const role = await forge.permissionOf(event.senderLogin);
  if (!canTrigger(role)) return { outcome: "ignored-permission", login: event.senderLogin, role };

  if (!result.ok) {
    const body = renderConfigProblems({ problems: result.problems, sources: read.sources, label: trigger });
    const { outcome } = await forge.ensureComment(event.issueNumber, CONFIG_PROBLEMS_MARKER, body);
    return { outcome: "config-invalid", problems: result.problems, comment: outcome };
  }

  const start = await queueRun(
    {
      issueNumber: event.issueNumber,
      key: event.deliveryId,
      installationId: event.installationId,
      trigger: "label",
      triggeredBy: event.senderLogin,
      config: result.config,
      now: event.now ?? Date.now(),
    },
    forge,
    jobs,
  );
  if (start.outcome === "capped") return start;
  const reaction = await forge.ensureReaction(event.issueNumber, "eyes");
  const created = start.outcome === "queued" && start.created;
  return { outcome: "acknowledged", reaction, config: result.config, job: { id: start.job.id, created } };
}

type Validated = { ok: true; config: AutofixConfig } | { ok: false; problems: ConfigProblem[] };

export function validate(read: ConfigRead): Validated {
  if (read.kind === "unreadable") return { ok: false, problems: [{ path: "(file)", message: read.message }] };
  return validateConfig(read.value);
}

/** The trigger label of a config that failed validation: its `label` if that is usable, else the default. */
function labelOf(read: ConfigRead): string {
  if (read.kind !== "read" || typeof read.value !== "object" || read.value === null) return DEFAULT_LABEL;
  const label: unknown = (read.value as { label?: unknown }).label;
  return typeof label === "string" && label.trim() !== "" ? label : DEFAULT_LABEL;
}

/** The repo's trigger label, also when its config is invalid (its usable `label`, else the default). */
export function triggerLabelOf(read: ConfigRead): string {
  const result = validate(read);
  return result.ok ? result.config.label : labelOf(read);
}

/** GitHub label names are unique regardless of case, so "AutoFix" is the `autofix` label. */
export function sameLabel(name: string | undefined, trigger: string): boolean {
  return name !== undefined && name.toLowerCase() === trigger.toLowerCase();
}

function defaultLabel(): string {
  const defaults = validateConfig({});
  if (!defaults.ok) throw new Error("the config schema's defaults do not validate");
  return defaults.config.label;
}
