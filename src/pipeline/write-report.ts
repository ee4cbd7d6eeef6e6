import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderReportMarkdown } from "./render-report.ts";
import type { FixReport } from "./types.ts";

export type WrittenReport = { dir: string; reportJson: string; reportMd: string; patchPath: string | null };

/** `report.json`, `report.md`, and `patch.diff` when there is a patch (`suggestion.diff` for a suggestion). */
export function writeReport(report: FixReport, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const reportJson = path.join(dir, "report.json");
  const reportMd = path.join(dir, "report.md");
  writeFileSync(reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(reportMd, renderReportMarkdown(report));
  let patchPath: string | null = null;
  if (report.patch) {
    patchPath = path.join(dir, "patch.diff");
    writeFileSync(patchPath, report.patch.diff);
  } else if (report.suggestion) {
    writeFileSync(path.join(dir, "suggestion.diff"), report.suggestion.diff);
  }
  return { dir, reportJson, reportMd, patchPath };
}
