import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dockerGate } from "./docker-gate.ts";

const gate = await dockerGate("sandbox CLI tests");
const NODE = path.resolve("node_modules/.bin/node");
const fixture = (name: string) => path.resolve("test/fixtures/sandbox", name);

/** `autofix …` with the sandbox commands, as a child process: real exit code and output. */
function autofix(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      ["test/sandbox/run-cli.ts", ...args],
      { maxBuffer: 64 * 1024 ** 2, env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.skipIf(gate.skip)("autofix sandbox run / autofix test (real Docker)", () => {
  it("exits with the command's code and prints the result as JSON", async () => {
    const result = await autofix([
      "sandbox",
      "run",
      "--repo",
      fixture("py-calc"),
      "--json",
      "--",
      "sh",
      "-c",
      "ls; echo oops >&2; exit 7",
    ]);
    expect(result.code).toBe(7);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ exitCode: 7, timedOut: false, oomKilled: false, stderr: "oops\n" });
    expect(String(json.stdout).split("\n")).toEqual(expect.arrayContaining(["calc", "tests", "pytest.ini"]));
    expect(typeof json.durationMs).toBe("number");
  });

  it("applies --timeout and --memory", async () => {
    const slow = await autofix([
      "sandbox",
      "run",
      "--repo",
      fixture("py-calc"),
      "--timeout",
      "1",
      "--json",
      "--",
      "sleep",
      "30",
    ]);
    expect(JSON.parse(slow.stdout)).toMatchObject({ timedOut: true });
    const hungry = await autofix([
      "sandbox",
      "run",
      "--repo",
      fixture("py-calc"),
      "--memory",
      "96m",
      "--json",
      "--",
      "python3",
      "-c",
      "x = [bytearray(8 * 1024 * 1024) for _ in range(64)]",
    ]);
    expect(JSON.parse(hungry.stdout)).toMatchObject({ oomKilled: true, exitCode: 137 });
  });

  it("names an allowed image that is missing, and how to build it", async () => {
    const allowing = { ...process.env, AUTOFIX_SANDBOX_IMAGES: "autofix/python:3,autofix/nope:1" };
    const args = ["sandbox", "run", "--repo", fixture("py-calc"), "--image", "autofix/nope:1", "--", "true"];
    const refused = await autofix(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("'autofix/nope:1' is not one the operator allows");
    const result = await autofix(args, allowing);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'autofix/nope:1' does not exist");
    expect(result.stderr).toContain("images/build.sh");
  });

  it("prints per-test outcomes for a selection", async () => {
    const result = await autofix([
      "test",
      "--repo",
      fixture("js-node-test"),
      "--runs",
      "1",
      "--json",
      "--select",
      "test/clamp.test.js > clamp > bounds > lowers to the high bound",
      "test/clamp.test.js > top level",
    ]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as {
      framework: string;
      tests: Array<{ id: string; outcome: string }>;
    };
    expect(json.framework).toBe("node-test");
    expect(json.tests.map((t) => [t.id, t.outcome])).toEqual([
      ["test/clamp.test.js > clamp > bounds > lowers to the high bound", "failed"],
      ["test/clamp.test.js > top level", "passed"],
    ]);
  });

  it("says plainly when a repository has no tests", async () => {
    const result = await autofix(["test", "--repo", fixture("no-tests")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No tests found in .*no-tests/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });
});
