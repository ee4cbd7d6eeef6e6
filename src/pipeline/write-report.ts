import type { Report } from "../contract/report.ts";
import { renderReportMarkdown } from "../publish/report-md.ts";
import { prepareOutDir, removeOutFile, writeOutFile } from "./out-dir.ts";

export type WrittenReport = { dir: string; reportJson: string; reportMd: string; patchPath: string | null };

/**
 * `report.json`, `report.md`, and `patch.diff` when there is a patch (`suggestion.diff` for a
 * suggestion), each written atomically and never through a link; an earlier run's patch or
 * suggestion in the same directory is removed, so a patch.diff is always this run's.
 */
export function writeReport(report: Report, outDir: string): WrittenReport {
  const dir = prepareOutDir(outDir);
  removeOutFile(dir, "patch.diff");
  removeOutFile(dir, "suggestion.diff");
  const reportJson = writeOutFile(dir, "report.json", `${JSON.stringify(report, null, 2)}\n`);
  const reportMd = writeOutFile(dir, "report.md", renderReportMarkdown(report));
  let patchPath: string | null = null;
  if (report.patch) patchPath = writeOutFile(dir, "patch.diff", report.patch.diff);
  else if (report.suggestion) writeOutFile(dir, "suggestion.diff", report.suggestion.diff);
  return { dir, reportJson, reportMd, patchPath };
}
