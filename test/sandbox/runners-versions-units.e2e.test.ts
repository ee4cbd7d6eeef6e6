import { execFileSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import { describeFramework, parseFrameworkIdentity } from "../../src/repo-tests/runners/framework-version.ts";
import { jestRunner } from "../../src/repo-tests/runners/jest.ts";
import { mochaRunner, parseMochaReport } from "../../src/repo-tests/runners/mocha.ts";
import { parseMochaBuiltinJson } from "../../src/repo-tests/runners/mocha-builtin-json.ts";
import { MOCHA_REPORT, MOCHA_REPORTER_SOURCE } from "../../src/repo-tests/runners/mocha-reporter.ts";
import { pytestRunner } from "../../src/repo-tests/runners/pytest.ts";
import { problemOf } from "../../src/repo-tests/runners/run-problem.ts";
import { vitestRunner } from "../../src/repo-tests/runners/vitest.ts";
import { REPORT_DIR, type TestPlan } from "../../src/repo-tests/types.ts";
import type { RunResult, Sandbox } from "../../src/sandbox/sandbox.ts";

function run(overrides: Partial<RunResult>): RunResult {
  return {
    exitCode: 0,
    ...{ timedOut: false, oomKilled: false, outputCapped: false, truncated: false },
    ...{ durationMs: 10, stdout: "", stderr: "", collected: {} },
    ...overrides,
  };
}

/** Loads the reporter source as mocha would (`require` + `new`), with fs and console captured. */
function loadReporter(runner: EventEmitter): { written: () => string | undefined; reporter: unknown } {
  let written: string | undefined;
  const fs = {
    writeFileSync: (file: string, text: string) => {
      if (file === MOCHA_REPORT) written = text;
    },
  };
  const module = { exports: {} as unknown };
  const require = (name: string) => (name === "fs" ? fs : undefined);
  vm.runInNewContext(MOCHA_REPORTER_SOURCE, { module, require, console: { log: () => {} } });
  const Reporter = module.exports as new (runner: EventEmitter) => unknown;
  const reporter = new Reporter(runner);
  return { written: () => written, reporter };
}

describe("our mocha reporter on the shapes of old and new mocha", () => {
  it("mocha 2: no titlePath, root suite flagged, hooks without a file", () => {
    const root = { title: "", root: true };
    const suite = { title: "calc", parent: root, file: "/work/test/a.js", root: false };
    const inner = { title: "", parent: suite, file: "/work/test/a.js", root: false };
    const runner = new EventEmitter();
    const { written } = loadReporter(runner);
    const test = (title: string, parent: object) => ({ title, parent, type: "test", duration: 3 });
    runner.emit("pass", test("adds", suite));
    runner.emit("fail", test("in untitled", inner), new Error("nope"));
    runner.emit("pending", { title: "later", parent: suite, type: "test" });
    runner.emit("fail", { title: '"before all" hook', parent: suite, type: "hook" }, new Error("boom"));
    runner.emit("pass", { title: "top", parent: root, type: "test", file: "/work/test/b.js" });
    runner.emit("end");
    expect(parseMochaReport(written() ?? "").map((r) => [r.id, r.outcome])).toEqual([
      ["test/a.js > calc > adds", "passed"],
      ["test/a.js > calc >  > in untitled", "failed"],
      ["test/a.js > calc > later", "skipped"],
      ["test/a.js", "error"],
      ["test/b.js > top", "passed"],
    ]);
  });

  it("tells apart two tests sharing a title path, keeps one result for a test reported twice, and keeps stats for mocha 1-3", () => {
    const root = { title: "", root: true };
    const first = { title: "in router", parent: root, file: "/work/test/res.format.js" };
    const second = { title: "in router", parent: root, file: "/work/test/res.format.js" };
    const runner = new EventEmitter();
    const { written, reporter } = loadReporter(runner);
    const twice = { title: "done twice", parent: first, type: "test" };
    runner.emit("pass", { title: "should work", parent: first, type: "test" });
    runner.emit("pass", { title: "should work", parent: second, type: "test" });
    runner.emit("pass", twice);
    runner.emit("fail", twice, new Error("done() called multiple times"));
    runner.emit("end");
    expect(parseMochaReport(written() ?? "").map((r) => [r.id, r.outcome])).toEqual([
      ["test/res.format.js > in router > should work", "passed"],
      ["test/res.format.js > in router > should work (2)", "passed"],
      ["test/res.format.js > in router > done twice", "failed"],
    ]);
    expect(reporter).toMatchObject({ stats: { passes: 3, failures: 1 } });
  });

  it("mocha ≥ 4: titlePath wins over the parent walk", () => {
    const runner = new EventEmitter();
    const { written } = loadReporter(runner);
    const parent = { title: "ignored", root: false };
    runner.emit("pass", { title: "t", parent, file: "/work/x.js", titlePath: () => ["real", "t"] });
    runner.emit("end");
    expect(parseMochaReport(written() ?? "").map((r) => r.id)).toEqual(["x.js > real > t"]);
  });
});

/** Runs a plan's shell on the host against a fake framework package, with REPORT_DIR moved to a temp dir. */
function runPlanWithFakeBin(
  plan: TestPlan,
  pkg: string,
  version: string | null,
  stdoutFile?: string,
): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-plan-"));
  const reports = path.join(dir, "reports");
  mkdirSync(reports);
  const moved = (text: string) => text.replaceAll(REPORT_DIR, reports);
  for (const file of plan.files ?? []) {
    writeFileSync(moved(file.path), typeof file.content === "string" ? moved(file.content) : file.content);
  }
  if (version !== null) {
    const bin = path.join(dir, "node_modules", pkg, "bin", "cli.js");
    mkdirSync(path.dirname(bin), { recursive: true });
    mkdirSync(path.join(dir, "node_modules", ".bin"));
    writeFileSync(
      path.join(dir, "node_modules", pkg, "package.json"),
      JSON.stringify({ name: pkg, version }),
    );
    writeFileSync(bin, `#!${process.execPath}\nconsole.log(JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(bin, 0o755);
    symlinkSync(`../${pkg}/bin/cli.js`, path.join(dir, "node_modules", ".bin", pkg));
  }
  const PATH = `${path.dirname(process.execPath)}:/usr/bin:/bin`;
  const stdout = execFileSync("/bin/sh", ["-c", `${moved(plan.command)}; true`], { cwd: dir, env: { PATH } });
  const identity = readFileSync(path.join(reports, "version"), "utf8");
  const output =
    stdoutFile === undefined ? stdout.toString() : readFileSync(path.join(reports, stdoutFile), "utf8");
  return `${identity}\n${output.trim()}`;
}

describe("the command picks its flags from the version found in the container", () => {
  const selection = ["__tests__/a b.test.js > s > t"];

  it("jest 20: results processor and path patterns; jest 21+: --runTestsByPath and --json", () => {
    const old = runPlanWithFakeBin(jestRunner().plan(selection), "jest", "20.0.4");
    expect(old).toMatch(/^jest\t20\.0\.4\tnode_modules\/\.bin\/jest\n/);
    expect(old).toContain("--testResultsProcessor=");
    expect(old).toContain('"__tests__/a b\\\\.test\\\\.js$"');
    expect(old).not.toContain("--runTestsByPath");
    const current = runPlanWithFakeBin(jestRunner().plan(selection), "jest", "29.7.0");
    expect(current).toContain('"--ci","--json"');
    expect(current).toContain('"--runTestsByPath","__tests__/a b.test.js"]');
  });

  it("mocha before 1.3 gets the built-in json reporter, later ones ours", () => {
    const plan = mochaRunner().plan(null);
    const builtin = runPlanWithFakeBin(plan, "mocha", "1.2.0", "mocha-builtin.json");
    expect(builtin).toBe('mocha\t1.2.0\tnode_modules/.bin/mocha\n["--reporter","json"]');
    const ours = runPlanWithFakeBin(plan, "mocha", "2.5.3");
    expect(ours).toMatch(/"--reporter","\/.*\/reports\/mocha-reporter\.cjs"\]$/);
  });

  it("says when the framework is not installed at all", () => {
    const identity = runPlanWithFakeBin(mochaRunner().plan(null), "mocha", null).split("\n")[0];
    expect(parseFrameworkIdentity(identity)).toEqual({
      name: "mocha",
      version: "missing",
      location: "mocha",
    });
  });
});

const hostPytest = (() => {
  try {
    return execFileSync("python3", ["-c", "import pytest; print(pytest.__version__)"]).toString().trim();
  } catch {
    process.stderr.write("\n!!! pytest plan on the host: SKIPPED — python3 cannot import pytest here.\n\n");
    return null;
  }
})();

describe.skipIf(hostPytest === null)("the pytest plan on this host's pytest", () => {
  it("reports the version from inside the run, and -o junit_family=xunit1 raises no config warning", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "autofix-pytest-"));
    const reports = path.join(dir, "reports");
    mkdirSync(reports);
    mkdirSync(path.join(dir, "tests"));
    writeFileSync(path.join(dir, "tests", "test_a.py"), "def test_ok():\n    assert True\n");
    const plan = pytestRunner({ args: ["-W", "error::pytest.PytestConfigWarning"] }).plan(null);
    const moved = (text: string) => text.replaceAll(REPORT_DIR, reports);
    for (const file of plan.files ?? []) writeFileSync(moved(file.path), moved(String(file.content)));
    execFileSync("/bin/sh", ["-c", moved(plan.command)], { cwd: dir, env: { PATH: process.env.PATH ?? "" } });
    const collected = Object.fromEntries(
      [...plan.collect, plan.versionFile ?? ""].map((file) => [file, readFileSync(moved(file), "utf8")]),
    );
    expect(parseFrameworkIdentity(collected[`${REPORT_DIR}/version`])?.version).toBe(hostPytest);
    expect(pytestRunner().parse(run({ collected }))).toEqual([
      expect.objectContaining({ id: "tests/test_a.py::test_ok", outcome: "passed" }),
    ]);
  });
});

describe("runner options: the repository's framework arguments", () => {
  it("go shell-quoted into every command, before our reporter and the selection", () => {
    const args = ["--require", "./test/set up.js", "--ui", "tdd"];
    const mocha = mochaRunner({ args }).plan(["test/a.js"]).command;
    expect(mocha).toContain(`"$BIN" --require './test/set up.js' --ui tdd --reporter /tmp/autofix-reports/`);
    expect(mocha).toContain(`"$BIN" --require './test/set up.js' --ui tdd --reporter json test/a.js`);
    const jest = jestRunner({ args: ["--config", "jest.ci.js"] }).plan(["a.test.js"]).command;
    expect(jest.match(/"\$BIN" --config jest\.ci\.js --watchman=false/g)).toHaveLength(2);
    const vitest = vitestRunner({ args: ["--project", "unit"] }).plan(null).command;
    expect(vitest).toContain('"$BIN" run --project unit --reporter=default');
    const pytest = pytestRunner({ args: ["-p", "xdist", "-n", "2"] }).plan(["tests/t.py"]).command;
    expect(pytest).toMatch(/python3 -m pytest -p xdist -n 2 -q .* --junitxml=\S+ tests\/t\.py;/);
    expect(mochaRunner().plan(null).command).toContain(`"$BIN" --reporter /tmp`);
  });
});

describe("a run without results is never silent", () => {
  const identity = parseFrameworkIdentity("mocha\t2.5.3\tnode_modules/.bin/mocha");
  const base = { framework: "mocha" as const, command: "mocha test", resultCount: 0, identity };

  it("names framework, version, command, exit code and the last output", () => {
    const noReport = run({ exitCode: 1, stderr: "Error: cannot resolve path 'x'" });
    expect(problemOf({ ...base, run: noReport, reports: ["/r/mocha.json"] })).toBe(
      "mocha 2.5.3 (node_modules/.bin/mocha) wrote no report: command `mocha test` exit 1. Last output:\nError: cannot resolve path 'x'",
    );
    const empty = run({ collected: { "/r/mocha.json": "[]" }, stdout: "0 passing" });
    expect(problemOf({ ...base, run: empty, reports: ["/r/mocha.json"] })).toMatch(
      /^no tests ran: mocha 2\.5\.3 \(node_modules\/\.bin\/mocha\), command `mocha test` exit 0/,
    );
    expect(problemOf({ ...base, resultCount: 1, run: run({}), reports: [] })).toBeNull();
    expect(problemOf({ ...base, run: run({ timedOut: true, durationMs: 5000 }), reports: [] })).toBe(
      "the tests timed out after 5.0s and were killed",
    );
  });

  it("describes a framework it could not identify", () => {
    expect(describeFramework("jest", null)).toBe("jest (version unknown)");
    expect(describeFramework("jest", parseFrameworkIdentity("jest\tmissing\tjest"))).toBe(
      "jest (not found: jest)",
    );
    expect(describeFramework("jest", parseFrameworkIdentity("jest-cli\t20.0.4\t/x/jest"))).toBe(
      "jest [jest-cli] 20.0.4 (/x/jest)",
    );
    expect(parseFrameworkIdentity("")).toBeNull();
  });
});

describe("runTests with a stand-in sandbox", () => {
  it("keeps a file's hook error for a selection of its tests, and reports the version", async () => {
    const report = [
      { file: "/work/test/h.js", titles: ["s", '"before all" hook'], hook: true, outcome: "error" },
      { file: "/work/test/o.js", titles: ["other"], outcome: "passed" },
    ];
    const sandbox: Sandbox = {
      prepare: () => Promise.reject(new Error("not used")),
      cleanupOrphans: () => Promise.resolve(0),
      run: (spec) => {
        expect(spec.collect).toContain(`${REPORT_DIR}/version`);
        const collected = {
          [MOCHA_REPORT]: JSON.stringify(report),
          [`${REPORT_DIR}/version`]: "mocha\t3.5.3\tnode_modules/.bin/mocha",
        };
        return Promise.resolve(run({ exitCode: 1, collected }));
      },
    };
    const result = await runTests(sandbox, {
      image: "any",
      runner: mochaRunner(),
      selection: ["test/h.js > s > never runs"],
    });
    expect(result.results.map((r) => [r.id, r.outcome])).toEqual([["test/h.js", "error"]]);
    expect(result.missing).toEqual([]);
    expect(result.frameworkVersion).toBe("3.5.3");
    expect(result.problem).toBeNull();
  });
});

describe("mocha's built-in json reporter (mocha < 1.3)", () => {
  it("reads the report after whatever the tests printed", () => {
    const test = (fullTitle: string) => ({ title: fullTitle.split(" ").pop(), fullTitle, duration: 1 });
    const json = JSON.stringify(
      {
        stats: {},
        tests: [test("a b"), test("a c"), test("d")],
        passes: [test("a b")],
        failures: [test("a c")],
      },
      null,
      2,
    );
    expect(parseMochaBuiltinJson(`console noise {\n${json}`).map((r) => [r.id, r.outcome])).toEqual([
      ["(unknown file) > a b", "passed"],
      ["(unknown file) > a c", "failed"],
      ["(unknown file) > d", "skipped"],
    ]);
    expect(parseMochaBuiltinJson("not json")).toEqual([]);
  });
});
