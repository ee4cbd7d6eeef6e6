import { type ConfigProblem, validateConfig } from "../config/load.ts";
import type { AutofixConfig } from "../config/schema.ts";
import type { ConfigRead, Forge } from "../forge/forge.ts";
import { CONFIG_PROBLEMS_MARKER, renderConfigProblems } from "./config-comment.ts";

/** The facts of an `issues.labeled` delivery the decision needs. */
export type IssueLabeled = {
  issueNumber: number;
  labelName: string | undefined;
  senderType: string;
};

export type LabeledOutcome =
  | { outcome: "ignored-bot" }
  | { outcome: "ignored-label"; label: string | undefined; trigger: string }
  | { outcome: "config-invalid"; problems: ConfigProblem[]; comment: "created" | "updated" | "unchanged" }
  | { outcome: "acknowledged"; reaction: "created" | "existing"; config: AutofixConfig };

const DEFAULT_LABEL = defaultLabel();

/**
 * `issues.labeled` → 👀 when the label is the repo's trigger label and the config is valid; one
 * config-problems comment (edited in place on redelivery) when it is not. Bots are ignored.
 * The run itself is the job queue's (issue 6); this only acknowledges.
 */
export async function onIssueLabeled(event: IssueLabeled, forge: Forge): Promise<LabeledOutcome> {
  if (event.senderType === "Bot") return { outcome: "ignored-bot" };

  const read = await forge.readConfig();
  const result = validate(read);
  const trigger = result.ok ? result.config.label : labelOf(read);
  if (!sameLabel(event.labelName, trigger)) {
    return { outcome: "ignored-label", label: event.labelName, trigger };
  }

  if (!result.ok) {
    const body = renderConfigProblems({ problems: result.problems, sources: read.sources, label: trigger });
    const { outcome } = await forge.ensureComment(event.issueNumber, CONFIG_PROBLEMS_MARKER, body);
    return { outcome: "config-invalid", problems: result.problems, comment: outcome };
  }

  const reaction = await forge.ensureReaction(event.issueNumber, "eyes");
  return { outcome: "acknowledged", reaction, config: result.config };
}

type Validated = { ok: true; config: AutofixConfig } | { ok: false; problems: ConfigProblem[] };

function validate(read: ConfigRead): Validated {
  if (read.kind === "unreadable") return { ok: false, problems: [{ path: "(file)", message: read.message }] };
  return validateConfig(read.value);
}

/** The trigger label of a config that failed validation: its `label` if that is usable, else the default. */
function labelOf(read: ConfigRead): string {
  if (read.kind !== "read" || typeof read.value !== "object" || read.value === null) return DEFAULT_LABEL;
  const label: unknown = (read.value as { label?: unknown }).label;
  return typeof label === "string" && label.trim() !== "" ? label : DEFAULT_LABEL;
}

/** GitHub label names are unique regardless of case, so "AutoFix" is the `autofix` label. */
function sameLabel(name: string | undefined, trigger: string): boolean {
  return name !== undefined && name.toLowerCase() === trigger.toLowerCase();
}

function defaultLabel(): string {
  const defaults = validateConfig({});
  if (!defaults.ok) throw new Error("the config schema's defaults do not validate");
  return defaults.config.label;
}
