import type { RunResult } from "../../sandbox/sandbox.ts";
import {
  clip,
  REPORT_DIR,
  shellQuote,
  type TestOutcome,
  type TestResult,
  type TestRunner,
} from "../types.ts";
import { descendants, parseXml, type XmlElement } from "../xml.ts";
import {
  PYTEST_PYTHONPATH,
  PYTEST_VERSION_FALLBACK,
  PYTEST_VERSION_PLUGIN,
  PYTEST_VERSION_PLUGIN_FILE,
  VERSION_FILE,
} from "./framework-version.ts";
import { quotedArgs, type RunnerOptions } from "./options.ts";

const REPORT = `${REPORT_DIR}/pytest.xml`;

/**
 * pytest with a JUnit report. `junit_family=xunit1` puts each test's file in the report, so ids are
 * real node ids (`tests/test_x.py::TestA::test_b[1-2]`) and can be handed back to pytest to select.
 * Checked in pytest's sources from 3.0 to 9: `-o` ignores an ini name no plugin registered (before
 * 4.2 there is no `junit_family`, and the report is xunit1-like with `file` anyway; pytest 9 checks
 * unknown names only under `--strict-config`, and junitxml registers this one), and `--junitxml`
 * exists throughout. The cache plugin stays on: tests may use its `cache` fixture (pytest's own do),
 * and the container is thrown away after the run.
 */
export function pytestRunner(options: RunnerOptions = {}): TestRunner {
  return {
    framework: "pytest",
    plan(selection) {
      const args = [
        `${PYTEST_PYTHONPATH} python3 -m pytest`,
        ...quotedArgs(options),
        `-q -p ${PYTEST_VERSION_PLUGIN} -o junit_family=xunit1`,
        `--junitxml=${REPORT}`,
        ...(selection ?? []).map(shellQuote),
      ];
      return {
        command: `mkdir -p ${REPORT_DIR} && ${args.join(" ")}; status=$?; ${PYTEST_VERSION_FALLBACK}; exit $status`,
        files: [PYTEST_VERSION_PLUGIN_FILE],
        collect: [REPORT],
        versionFile: VERSION_FILE,
      };
    },
    parse(run: RunResult) {
      const xml = run.collected[REPORT];
      return xml === undefined ? [] : parsePytestJunit(xml);
    },
  };
}

export function parsePytestJunit(xml: string): TestResult[] {
  const results: TestResult[] = [];
  for (const { element } of descendants(parseXml(xml), "testcase")) {
    const { classname = "", name = "", file, time } = element.attributes;
    const { outcome, message } = outcomeOf(element);
    if (file === undefined || file === "" || classname === "") {
      // A collection error: no test ran; `name` is the module (`tests.test_x`).
      const path = file !== undefined && file !== "" ? file : `${name.replaceAll(".", "/")}.py`;
      results.push({ id: path, file: path, outcome: "error", ...withMessage(message) });
      continue;
    }
    const moduleDotted = file.replace(/\.py$/, "").replaceAll("/", ".");
    const classes = classname.startsWith(`${moduleDotted}.`)
      ? classname.slice(moduleDotted.length + 1).split(".")
      : classname === moduleDotted
        ? []
        : classname.split(".").slice(-1);
    results.push({
      id: [file, ...classes, name].join("::"),
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
    const message = clip(child.attributes.message || child.text);
    if (child.name === "failure") return { outcome: "failed", message };
    // An error's attribute is often just "collection failure": the cause (ImportError…) is in the text.
    if (child.name === "error") {
      const detail = [child.attributes.message, child.text].filter(Boolean).join("\n");
      return { outcome: "error", message: clip(detail) };
    }
    if (child.name === "skipped") return { outcome: "skipped", message };
  }
  return { outcome: "passed", message: undefined };
}

function withMessage(message: string | undefined): { message?: string } {
  return message === undefined || message === "" ? {} : { message };
}
