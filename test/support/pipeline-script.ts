import { writeFileSync } from "node:fs";

/** The one file of the repository the scripted runs patch. */
export const CALC_SOURCE = "def divide(a, b):\n    return a / b\n";

/**
 * A script for the SCRIPTED pipeline (`AUTOFIX_PIPELINE=scripted:<file>`, src/worker/scripted-pipeline.ts):
 * two progress steps, then a canned report — a patch to `calc.py`, or an abstention. For e2e tests
 * about the App's flow and publishing, where the repair pipeline itself is beside the point.
 */
export function pipelineScript(decision: "patch" | "abstain", stepDelayMs = 0): object {
  return {
    stepDelayMs,
    steps: [
      { stage: "localize", state: "done", figures: { files: 1, elements: 1 }, tokens: 800, dollars: 0.02 },
      { stage: "repair", state: "running", figures: { candidates: 3 }, tokens: 2_400, dollars: 0.07 },
    ],
    report: {
      decision,
      reason:
        decision === "patch"
          ? "one candidate passed every test"
          : "no candidate passed the reproduction test",
      localization: { files: ["calc.py"], elements: ["calc.py::divide"] },
      candidates: ["c1", "c2", "c3"].map((id) => ({ id, set: 0, round: 0, status: "accepted", group: "g1" })),
      groups: [{ key: "g1", votes: 3, validated: decision === "patch" }],
      evidence: [{ test: "test_calc.py::test_divide_by_zero", before: "fail", after: "pass" }],
      usage: { tokens: 3_000, dollars: 0.09 },
      ...(decision === "patch"
        ? {
            patch: {
              edits: [{ path: "calc.py", search: "return a / b", replace: "return a / b if b else 0" }],
            },
          }
        : {}),
    },
  };
}

/** Write the script to `path` (the App reads it at start-up, so rewrite it before a relaunch). */
export function writePipelineScript(path: string, decision: "patch" | "abstain", stepDelayMs = 0): void {
  writeFileSync(path, JSON.stringify(pipelineScript(decision, stepDelayMs)));
}
