import type { ConfigProblem } from "../config/load.ts";
import type { ConfigSource } from "../forge/forge.ts";

/** Hidden marker that finds the App's config comment again on a redelivery or a later run. */
export const CONFIG_PROBLEMS_MARKER = "<!-- autofix:config-problems -->";

export type ConfigCommentInput = {
  problems: readonly ConfigProblem[];
  sources: readonly ConfigSource[];
  label: string;
};

/** The comment left on an issue when the repo config is invalid: what is wrong, where, how to fix it. */
export function renderConfigProblems({ problems, sources, label }: ConfigCommentInput): string {
  const read = sources.filter((source) => source.found);
  const files = read.length > 0 ? read.map((s) => `\`${s.repository}:${s.path}\``).join(", then ") : "";
  const lines = [
    CONFIG_PROBLEMS_MARKER,
    "### autofix did not start: the repository config is invalid",
    "",
    files === ""
      ? "The autofix config has problems:"
      : `The autofix config (read from ${files}) has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:`,
    "",
    ...problems.map(
      (p) => `- \`${p.path}\`${p.line === undefined ? "" : ` (line ${p.line})`}: ${inline(p.message)}`,
    ),
    "",
    "**How to fix:** correct these keys on the default branch" +
      (read.length > 1
        ? " of the file that sets them (the repository's own file, or the one it `_extends`)"
        : "") +
      `, then remove and re-add the \`${inline(label)}\` label to start again.` +
      " (`autofix config check .github/autofix.yml` prints the same list locally.)",
  ];
  return lines.join("\n");
}

/** Keep a value on one line and out of markdown's way (no HTML, no mentions). */
function inline(text: string): string {
  return text.replace(/\s+/g, " ").replace(/</g, "&lt;").replace(/@/g, "@\u200b").trim();
}
