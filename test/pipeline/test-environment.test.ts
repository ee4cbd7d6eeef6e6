import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { prepareTestEnvironment } from "../../src/pipeline/test-environment.ts";
import type { PrepareSpec, Sandbox } from "../../src/sandbox/sandbox.ts";

/** A FAKE sandbox: prepare records what it was asked and returns at once; nothing runs. */
function recordingSandbox(ceilings: Sandbox["ceilings"]): Sandbox & { prepared: PrepareSpec[] } {
  const prepared: PrepareSpec[] = [];
  return {
    prepared,
    ceilings,
    prepare: (spec) => {
      prepared.push(spec);
      return Promise.resolve({
        image: "autofix-setup/fake",
        cached: true,
        setup: { ran: false, durationMs: 0, output: "", network: "none" },
      });
    },
    run: () => Promise.reject(new Error("nothing runs in this test")),
    cleanupOrphans: () => Promise.resolve(0),
  };
}

describe("the test environment", () => {
  it("lowers a repository's limits to the operator's maxima and says so for the report", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "autofix-env-"));
    mkdirSync(path.join(root, "tests"));
    writeFileSync(path.join(root, "calc.py"), "def add(a, b):\n    return a + b\n");
    writeFileSync(path.join(root, "tests", "test_calc.py"), "def test_add():\n    assert True\n");
    const config = configSchema.parse({ sandbox: { cpus: 64, pids: 65_536, memory: "99999g" } });
    const sandbox = recordingSandbox({
      memoryBytes: 4 * 1024 ** 3,
      cpus: 1,
      pids: 1024,
      testTimeoutMs: 600_000,
      setupTimeoutMs: 1_800_000,
      diskBytes: 4 * 1024 ** 3,
    });
    const env = await prepareTestEnvironment({ root, key: "o/r", commit: "c" }, config, ["calc.py"], sandbox);
    expect(env.limits).toMatchObject({ cpus: 1, pids: 1024, memoryBytes: 4 * 1024 ** 3 });
    expect(env.clamped.join("\n")).toMatch(/sandbox\.cpus: asked 64/);
    expect(env.clamped.join("\n")).toMatch(/sandbox\.pids: asked 65536/);
    expect(env.clamped.join("\n")).toMatch(/sandbox\.memory: asked 99999g/);
    expect(env.regression).toEqual(["tests/test_calc.py"]);
  });
});
