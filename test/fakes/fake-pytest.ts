import type { RunSpec } from "../../src/sandbox/sandbox.ts";
import type { FakeFramework, FakeResult } from "./fake-sandbox.ts";

/**
 * pytest as FakeSandbox plays it: `test_*.py` / `*_test.py` files, their top-level `def test_…`
 * functions (no classes, no parametrize, no fixtures), and the JUnit report (xunit1, each test's
 * file in it) that the real pytest runner (src/repo-tests/runners/pytest.ts) collects and parses.
 */
export const fakePytest: FakeFramework = {
  isTestFile: (file) => /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(file),
  testsIn: (file, text) =>
    [...text.matchAll(/^def (test_\w+)\s*\(/gm)].map((match) => `${file}::${match[1]}`),
  report(results, spec) {
    const collected: Record<string, string> = {};
    const junit = spec.collect?.find((file) => file.endsWith(".xml"));
    if (junit !== undefined) collected[junit] = junitXml(results);
    const version = spec.collect?.find((file) => file.endsWith("/version"));
    if (version !== undefined) collected[version] = "pytest\tfake\t(FakeSandbox)";
    const failing = results.filter((result) => result.outcome === "failed" || result.outcome === "error");
    const lines = failing.map((result) => `FAILED ${result.id} - ${result.message ?? result.outcome}`);
    const exitCode = results.length === 0 ? 5 : failing.length > 0 ? 1 : 0;
    return { exitCode, stdout: [...lines, summaryLine(results, spec)].join("\n"), collected };
  },
};

function junitXml(results: readonly FakeResult[]): string {
  const cases = results.map((result) => {
    const body = outcomeElement(result);
    if (result.id === result.file) {
      // A collection error, as pytest writes it: no file, no class, the module's dotted name.
      const module = result.file.replace(/\.py$/, "").replaceAll("/", ".");
      return `<testcase classname="" name="${xmlEscape(module)}" time="0">${body}</testcase>`;
    }
    const classname = result.file.replace(/\.py$/, "").replaceAll("/", ".");
    const name = result.id.slice(result.file.length + 2);
    return `<testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}" file="${xmlEscape(result.file)}" time="0.005">${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">${cases.join("")}</testsuite></testsuites>`;
}

function outcomeElement(result: FakeResult): string {
  const message = xmlEscape(result.message ?? "");
  if (result.outcome === "failed") return `<failure message="${message}">${message}</failure>`;
  if (result.outcome === "error") return `<error message="${message}">${message}</error>`;
  if (result.outcome === "skipped") return `<skipped message="${message}"/>`;
  return "";
}

function summaryLine(results: readonly FakeResult[], spec: RunSpec): string {
  const count = (outcome: FakeResult["outcome"]) => results.filter((r) => r.outcome === outcome).length;
  const parts = (["failed", "passed", "skipped", "error"] as const)
    .filter((outcome) => count(outcome) > 0)
    .map((outcome) => `${count(outcome)} ${outcome}`);
  return `${parts.join(", ") || "no tests ran"} in 0.01s (FakeSandbox, image ${spec.image})`;
}

function xmlEscape(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
