import type { Report } from "../contract/report.ts";
import { passed } from "./report-sections.ts";

const TITLE_MAX = 72;

/** `Fix #12: The parser drops the timezone`, one line, at most 72 characters. */
export function pullTitle(issueNumber: number, issueTitle: string | undefined): string {
  const title = (issueTitle ?? "").replace(/\s+/g, " ").trim();
  const full = title === "" ? `Fix #${issueNumber}` : `Fix #${issueNumber}: ${title}`;
  return full.length <= TITLE_MAX ? full : `${full.slice(0, TITLE_MAX - 1).trimEnd()}…`;
}

/** The pull request's opening paragraph: what the patch changes and the evidence it rests on. */
export function patchSummary(report: Report): string {
  const paths = changedPaths(report);
  const files = paths.length === 1 ? `\`${paths[0]}\`` : `${paths.length} files`;
  const reproduced = report.evidence.filter((e) => e.kind === "reproduction");
  const regressions = report.evidence.filter((e) => e.kind === "regression");
  const chosen = report.groups.find((g) => g.key === report.patch?.group);
  const parts = [`This patch changes ${files}.`];
  if (reproduced.length > 0) {
    parts.push(
      reproduced.length === 1
        ? "A reproduction test written from the issue fails on the current code and passes with the patch"
        : `${reproduced.length} reproduction tests written from the issue fail on the current code and pass with the patch`,
    );
  }
  if (regressions.length > 0) {
    const held = regressions.filter((e) => passed(e.after)).length;
    parts[parts.length - 1] += `; ${held} of ${regressions.length} existing tests run pass with it.`;
  } else if (reproduced.length > 0) parts[parts.length - 1] += ".";
  if (chosen !== undefined) {
    const { length } = report.groups;
    parts.push(
      `It was chosen among ${length} distinct candidate${length === 1 ? "" : "s"} ` +
        `(${chosen.votes} of ${report.candidates.length} samples proposed it).`,
    );
  }
  return parts.join(" ");
}

/** Paths a patch changes: its recorded paths, its edits' paths and the files its diff names. */
export function changedPaths(report: Report): string[] {
  const patch = report.patch;
  if (patch === undefined) return [];
  const fromDiff = [...patch.diff.matchAll(/^diff --git a\/(.+?) b\/(.+)$/gm)].flatMap((m) => [
    m[1] ?? "",
    m[2] ?? "",
  ]);
  const paths = [...patch.changedPaths, ...patch.edits.map((edit) => edit.path), ...fromDiff];
  return [...new Set(paths.filter((p) => p !== ""))];
}
