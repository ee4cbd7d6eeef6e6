import type { RepoRow } from "./compare.ts";
import type { Counts } from "./types.ts";

const HEADER = ["repo", "commit", "framework", "files own/autofix", "=", "passed", "failed", "=", "note"];

function pair(own: number | null | undefined, autofix: number | null | undefined): string {
  return `${own ?? "?"}/${autofix ?? "?"}`;
}

function countPair(own: Counts | null | undefined, autofix: Counts | null | undefined, key: keyof Counts) {
  return pair(own?.[key], autofix?.[key]);
}

function mark(match: boolean | undefined): string {
  if (match === undefined) return "-";
  return match ? "yes" : "NO";
}

/** One markdown row per repository: files and passed/failed counts, own command vs autofix. */
export function renderTable(rows: readonly RepoRow[]): string {
  const lines = rows.map((row) => [
    `${row.repo}@${row.ref}`,
    row.commit.slice(0, 10),
    row.framework,
    row.files === null ? "-" : pair(row.files.own, row.files.autofix),
    mark(row.files?.match),
    row.counts === null ? "-" : countPair(row.counts.own, row.counts.autofix, "passed"),
    row.counts === null ? "-" : countPair(row.counts.own, row.counts.autofix, "failed"),
    mark(row.counts?.match),
    row.note === "" ? "" : row.note.replaceAll("|", "\\|").replaceAll("\n", " "),
  ]);
  const format = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [format(HEADER), format(HEADER.map(() => "---")), ...lines.map(format)].join("\n");
}

/** `runners: 11/12 repositories match exactly (not run: mongoose (needs MongoDB))`. */
export function renderSummary(rows: readonly RepoRow[]): string {
  const ran = rows.filter((row) => row.status === "match" || row.status === "mismatch");
  const matching = ran.filter((row) => row.status === "match").length;
  const notRun = rows.filter((row) => row.status === "not run");
  const noOwn = rows.filter((row) => row.status === "no own result").map((row) => row.repo);
  const mismatches = ran.filter((row) => row.status === "mismatch").map((row) => row.repo);
  const parts = [
    ...(mismatches.length > 0 ? [`mismatch: ${mismatches.join(", ")}`] : []),
    ...(noOwn.length > 0 ? [`own command ran no test: ${noOwn.join(", ")}`] : []),
    ...(notRun.length > 0 ? [`not run: ${notRun.map((row) => `${row.repo} (${row.note})`).join(", ")}`] : []),
  ];
  const tail = parts.length > 0 ? ` (${parts.join("; ")})` : "";
  return `runners: ${matching}/${ran.length} repositories match exactly${tail}`;
}
