import type { RunResult } from "../../sandbox/sandbox.ts";
import {
  clip,
  jsTestId,
  REPORT_DIR,
  shellQuote,
  type TestOutcome,
  type TestResult,
  type TestRunner,
} from "../types.ts";
import { descendants, parseXml, type XmlElement } from "../xml.ts";
import { NODE_VERSION_PROBE, VERSION_FILE } from "./framework-version.ts";
import { filesOf, relativeToWorkspace } from "./jest-json.ts";

const REPORT = `${REPORT_DIR}/node-test.xml`;

/** `node --test` with its JUnit reporter (nested <testsuite>s give the describe path). */
export function nodeTestRunner(): TestRunner {
  return {
    framework: "node-test",
    plan(selection) {
      const args = [
        "node --test --test-reporter=spec --test-reporter-destination=stdout",
        `--test-reporter=junit --test-reporter-destination=${REPORT}`,
        ...(selection === null ? [] : filesOf(selection).map(shellQuote)),
      ];
      return {
        command: `mkdir -p ${REPORT_DIR} && ${NODE_VERSION_PROBE}; ${args.join(" ")}`,
        collect: [REPORT],
        versionFile: VERSION_FILE,
      };
    },
    parse(run: RunResult) {
      const xml = run.collected[REPORT];
      return xml === undefined ? [] : parseNodeJunit(xml);
    },
  };
}

export function parseNodeJunit(xml: string): TestResult[] {
  const results: TestResult[] = [];
  for (const { element, ancestors } of descendants(parseXml(xml), "testcase")) {
    const { name = "", file: absolute, time } = element.attributes;
    const file = absolute === undefined ? null : relativeToWorkspace(absolute);
    const suites = ancestors.filter((a) => a.name === "testsuite").map((a) => a.attributes.name ?? "");
    const { outcome, message } = outcomeOf(element);
    if (suites.length === 0 && file !== null && (name === file || absolute === `/work/${name}`)) {
      // node reports a file that failed to load as one test named after the file.
      results.push({
        id: file,
        file,
        outcome: outcome === "passed" ? "passed" : "error",
        ...withMessage(message),
      });
      continue;
    }
    results.push({
      id: jsTestId(file ?? "(unknown file)", [...suites, name]),
      file,
      outcome,
      ...(time === undefined ? {} : { durationMs: Math.round(Number(time) * 1000) }),
      ...withMessage(message),
    });
  }
  return results;
}

function outcomeOf(testcase: XmlElement): { outcome: TestOutcome; message: string | undefined } {
  for (const child of testcase.children) {
    const message = clip(child.text || child.attributes.message);
    if (child.name === "failure") return { outcome: "failed", message };
    if (child.name === "error") return { outcome: "error", message };
    if (child.name === "skipped") return { outcome: "skipped", message };
  }
  return { outcome: "passed", message: undefined };
}

function withMessage(message: string | undefined): { message?: string } {
  return message === undefined || message === "" ? {} : { message };
}
