import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testPrivateKey } from "./helpers.ts";
import {
  type AppProcess,
  freePort,
  ROOT,
  removeScratchDirs,
  scratchCwd,
  startApp,
  stop,
  waitForHttp,
} from "./process.ts";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

const running: AppProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop));
  removeScratchDirs();
});

function launch(cwd: string, env: Record<string, string>): AppProcess {
  const app = startApp(cwd, { HOST: "127.0.0.1", LOG_FORMAT: "json", ...env });
  running.push(app);
  return app;
}

describe("npm start without GitHub App credentials", () => {
  it("serves the health endpoint and Probot's set-up page with our manifest, writing nothing", async () => {
    const cwd = scratchCwd();
    const port = await freePort();
    const app = launch(cwd, { PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;

    const health = await waitForHttp(`${base}/healthz`, app);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", mode: "setup", version: VERSION });

    const page = await fetch(`${base}/probot`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const manifestJson = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
    expect(manifestJson).toBeDefined();
    const manifest = JSON.parse(manifestJson ?? "{}") as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: "autofix",
      public: false,
      hook_attributes: { url: `${base}/` },
      redirect_url: `${base}/probot/setup`,
      default_permissions: {
        issues: "write",
        pull_requests: "write",
        contents: "write",
        checks: "write",
        metadata: "read",
      },
    });
    expect(manifest.default_events).toEqual([
      "issues",
      "issue_comment",
      "pull_request",
      "pull_request_review",
      "pull_request_review_comment",
    ]);
    expect(await (await fetch(`${base}/ping`)).text()).toBe("PONG");
    expect(app.output()).toContain(`open ${base}/probot to register the GitHub App`);
    expect(existsSync(join(cwd, ".env"))).toBe(false);
    // No smee.io channel attempt (smee-client is not a dependency): no warning about it either.
    expect(app.output().toLowerCase()).not.toContain("smee");
  });

  it("refuses to start in production, naming the variables to set, without a stack trace", async () => {
    const app = launch(scratchCwd(), { PORT: String(await freePort()), NODE_ENV: "production" });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/APP_ID, PRIVATE_KEY \(or PRIVATE_KEY_PATH\), WEBHOOK_SECRET are not set/);
    expect(app.output()).not.toMatch(/\n\s+at /);
  });

  it("refuses a malformed setting with a message naming it", async () => {
    const app = launch(scratchCwd(), { PORT: "eighty" });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain("PORT:");
    expect(app.output()).not.toMatch(/\n\s+at /);
  });
});

describe("npm start with GitHub App credentials", () => {
  it("runs as the App: health says so, and webhooks must carry a valid signature", async () => {
    const port = await freePort();
    const secret = "test-webhook-secret";
    // PRIVATE_KEY as .env files usually hold it: one line, newlines escaped.
    const app = launch(scratchCwd(), {
      PORT: String(port),
      APP_ID: "12345",
      PRIVATE_KEY: testPrivateKey().replace(/\n/g, "\\n"),
      WEBHOOK_SECRET: secret,
    });
    const base = `http://127.0.0.1:${port}`;
    const health = await waitForHttp(`${base}/healthz`, app);
    expect(await health.json()).toEqual({ status: "ok", mode: "app", version: VERSION });

    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const deliver = (path: string, signatureSecret: string) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "ping",
          "x-github-delivery": "d-1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", signatureSecret).update(body).digest("hex")}`,
        },
        body,
      });
    for (const path of ["/api/github/webhooks", "/"]) {
      const forged = await deliver(path, "not-the-secret");
      expect(forged.status, `forged delivery to ${path}`).toBeGreaterThanOrEqual(400);
      expect(forged.status, `forged delivery to ${path}`).toBeLessThan(500);
      expect((await deliver(path, secret)).status, `signed delivery to ${path}`).toBe(200);
    }
    expect((await fetch(`${base}/probot`)).status).toBe(404);
  });
});
