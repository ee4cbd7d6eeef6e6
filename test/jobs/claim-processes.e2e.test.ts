import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { EnqueueRequest, JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";

// Worker processes (claim-worker.ts) racing on one SQLite file; the store in one process is tested
// in job-store.test.ts.

const NODE = join(resolve(import.meta.dirname, "../.."), "node_modules/.bin/node");

const opened: JobStore[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(path: string): JobStore {
  const store = openSqliteJobStore({ path });
  opened.push(store);
  return store;
}

function scratchDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "autofix-jobs-"));
  dirs.push(dir);
  return join(dir, "nested", "autofix.db");
}

let nextDelivery = 0;
function request(overrides: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    deliveryId: `delivery-${++nextDelivery}`,
    installationId: 1,
    repository: "octo/repo",
    issueNumber: 7,
    trigger: "label",
    triggeredBy: "octocat",
    ...overrides,
  };
}

describe("claim", () => {
  it("hands each job to one worker only, across processes racing on one file", async () => {
    const path = scratchDb();
    const store = open(path);
    const ids = Array.from({ length: 60 }, (_, i) => store.enqueue(request({ issueNumber: i + 1 })).job.id);
    const run = promisify(execFile);
    const outputs = await Promise.all(
      ["a", "b", "c", "d"].map((w) => run(NODE, [join(import.meta.dirname, "claim-worker.ts"), path, w])),
    );
    const claimed = outputs.flatMap((o) => JSON.parse(o.stdout) as number[]);
    expect(claimed.toSorted((x, y) => x - y)).toEqual(ids);
    expect(ids.every((id) => store.get(id)?.state === "done" && store.get(id)?.attempts === 1)).toBe(true);
  });
});
