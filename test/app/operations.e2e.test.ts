import { createHmac } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";
import { removeScratchDirs, stop } from "./process.ts";
import { SECRET, type StandInApp, startAppAgainstStandIn } from "./standin-app.ts";

// Operations over real HTTP: the App as a process, GitHub played by the OpenAPI-checked stand-in.

const APP_ID = 4713;
const INSTALLATION = 31339;

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const running: StandInApp[] = [];
afterEach(async () => {
  const started = running.splice(0);
  await Promise.all(started.map((r) => stop(r.app)));
  await Promise.all(started.map((r) => r.github.stop()));
  removeScratchDirs();
});

async function start(): Promise<StandInApp> {
  // Only receiving is under test: the worker is off, so queued jobs stay queued.
  const started = await startAppAgainstStandIn(privateKey, { appId: APP_ID, env: { AUTOFIX_WORKER: "off" } });
  running.push(started);
  return started;
}

function labeledBody(): string {
  const payload = structuredClone(example);
  payload.label.name = "autofix";
  payload.sender.type = "User";
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzMzk=" };
  return JSON.stringify(payload);
}

const repository = () => `${example.repository.owner.login}/${example.repository.name}`;

function jobsIn(dbPath: string) {
  const store = openSqliteJobStore({ path: dbPath });
  try {
    return store.forIssue(repository(), example.issue.number);
  } finally {
    store.close();
  }
}

describe("webhooks that are not GitHub's", () => {
  it("answers unsigned, wrongly signed and malformed deliveries 401, and queues nothing", async () => {
    const { github, post, dbPath, base, dispatched } = await start();
    github.state.permissions.set(`${repository()}:${example.sender.login}`, "admin");
    const body = labeledBody();
    const statuses = [
      (await post({ id: "unsigned", body, secret: null })).status,
      (await post({ id: "forged", body, secret: "not-the-secret" })).status,
      (await post({ id: "garbled-signature", body, headers: { "x-hub-signature-256": "sha256=zz" } })).status,
      (await post({ id: "not-json", body: "{not json" })).status,
      (await post({ id: "no-event", body, headers: { "x-github-event": "" } })).status,
      (
        await post({
          id: "tampered",
          body: body.replace('"autofix"', '"autofix" '),
          secret: null,
          headers: {
            "x-hub-signature-256": signatureOf(body),
          },
        })
      ).status,
    ];
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const [reason, n] of [
      ["unsigned", 1],
      ["bad-signature", 3],
      ["not-json", 1],
      ["missing-header", 1],
    ]) {
      expect(metrics).toContain(`autofix_webhooks_rejected_total{reason="${reason}"} ${n}\n`);
    }
    expect(jobsIn(dbPath)).toEqual([]);
    expect(github.requests).toEqual([]);

    // The same App still takes a genuine delivery.
    expect((await post({ id: "genuine", body })).status).toBe(200);
    await dispatched("genuine");
    expect(jobsIn(dbPath).map((j) => j.deliveryId)).toEqual(["genuine"]);
    expect(github.violations).toEqual([]);
  });
});

describe("GET /metrics", () => {
  it("serves the Prometheus text format with the job store's jobs by state", async () => {
    const { github, post, base, dispatched } = await start();
    github.state.permissions.set(`${repository()}:${example.sender.login}`, "write");
    expect((await post({ id: "metrics-1", body: labeledBody() })).status).toBe(200);
    await dispatched("metrics-1");

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# TYPE autofix_jobs gauge\n");
    expect(text).toContain('autofix_jobs{state="queued"} 1\n');
    expect(text).toContain('autofix_webhook_deliveries{state="done"} 1\n');
    expect(text).toContain('autofix_jobs{state="running"} 0\n');
    expect(text).toContain("# TYPE autofix_stage_duration_seconds histogram\n");
    expect(text).toContain("autofix_model_tokens_total 0\n");
  });
});

function signatureOf(body: string): string {
  return `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
}
