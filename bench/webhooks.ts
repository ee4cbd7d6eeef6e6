// `npm run bench -- webhooks [--issues 10] [--per-issue 5] [--latency-ms 100]`: how fast the App
// answers a burst of webhook deliveries (GitHub gives up on a delivery after 10 s), and how many 👀
// it POSTs per issue. The App runs as a process (`node src/app/main.ts`, its real HTTP entry) against
// the GitHub stand-in (test/support/github-stand-in), which waits `--latency-ms` before each answer,
// as a distant GitHub would. All deliveries are sent at once, signed; the worker is off.
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { issuesLabeledExample, testPrivateKey } from "../test/app/helpers.ts";
import { freePort, removeScratchDirs, scratchCwd, startApp, stop, waitForHttp } from "../test/app/process.ts";
import { GitHubStandIn } from "../test/support/github-stand-in/server.ts";
import { postWebhook } from "../test/support/signed-webhook.ts";
import {
  type BurstDelivery,
  labeledBurst,
  percentile,
  reactionPostsPerIssue,
  sendBurst,
  UNCAPPED_CONFIG,
} from "../test/support/webhook-burst.ts";

const { values } = parseArgs({
  options: {
    issues: { type: "string", default: "10" },
    "per-issue": { type: "string", default: "5" },
    "latency-ms": { type: "string", default: "100" },
  },
});
const issues = Number(values.issues);
const perIssue = Number(values["per-issue"]);
const latencyMs = Number(values["latency-ms"]);
const APP_ID = 4799;
const INSTALLATION = 31399;
const SECRET = "bench-webhook-secret";

const privateKey = testPrivateKey();
const example = issuesLabeledExample();
const repository = `${example.repository.owner.login}/${example.repository.name}`;
const github = new GitHubStandIn({ appId: APP_ID, privateKeyPem: privateKey, latencyMs });
await github.start();
github.state.permissions.set(`${repository}:${example.sender.login}`, "write");
github.state.files.set(`${repository}:.github/autofix.yml`, UNCAPPED_CONFIG);

const cwd = scratchCwd();
const port = await freePort();
const app = startApp(cwd, {
  HOST: "127.0.0.1",
  PORT: String(port),
  LOG_FORMAT: "json",
  LOG_LEVEL: "warn",
  APP_ID: String(APP_ID),
  PRIVATE_KEY: privateKey,
  WEBHOOK_SECRET: SECRET,
  GHE_HOST: github.host,
  GHE_PROTOCOL: "http",
  AUTOFIX_DB: "state/jobs.db",
  AUTOFIX_WORKER: "off",
});
const base = `http://127.0.0.1:${port}`;
const post = (d: BurstDelivery) =>
  postWebhook(base, { id: d.id, event: "issues", body: d.body, secret: SECRET });

try {
  await waitForHttp(`${base}/healthz`, app, 30_000);
  // A running App has its identity and an installation token already: warm up on another issue.
  const [warmUp] = labeledBurst(example, {
    issues: 1,
    perIssue: 1,
    installationId: INSTALLATION,
    firstIssue: 1,
  });
  if (warmUp === undefined) throw new Error("no warm-up delivery");
  await sendBurst([warmUp], post);
  await decided([1]);
  github.requests.length = 0;

  const burst = labeledBurst(example, { issues, perIssue, installationId: INSTALLATION });
  const issueNumbers = [...new Set(burst.map((d) => d.issueNumber))];
  const started = performance.now();
  const answers = await sendBurst(burst, post);
  await decided(issueNumbers);
  const allDecidedMs = performance.now() - started;

  const times = answers.map((a) => a.ms);
  const failed = answers.filter((a) => a.status < 200 || a.status >= 300);
  const posts = reactionPostsPerIssue(github);
  const perIssuePosts = issueNumbers.map((n) => posts.get(n) ?? 0);
  const round = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `webhooks: ${burst.length} deliveries at once (${issues} issues × ${perIssue}), stand-in latency ${latencyMs} ms`,
  );
  console.log(
    `  answers: p50 ${round(percentile(times, 50))}, p99 ${round(percentile(times, 99))}, max ${round(Math.max(...times))}`,
  );
  console.log(
    `  answered after 10 s (GitHub would mark them failed): ${times.filter((t) => t > 10_000).length}`,
  );
  console.log(
    `  non-2xx answers: ${failed.length}${failed.length > 0 ? ` (${[...new Set(failed.map((a) => a.status))].join(", ")})` : ""}`,
  );
  console.log(`  every issue decided (👀 and job) after ${round(allDecidedMs)}`);
  console.log(
    `  👀 POSTs per issue: ${perIssuePosts.join(" ")} (total ${perIssuePosts.reduce((a, b) => a + b, 0)})`,
  );
  console.log(`  stand-in violations: ${github.violations.length}`);
} catch (error) {
  console.error(`${String(error)}\n--- App output:\n${app.output()}`);
  process.exitCode = 1;
} finally {
  await stop(app);
  await github.stop();
  removeScratchDirs();
}

/** Every issue has its 👀 and its job, and nothing is left in the inbox (when there is one). */
async function decided(issueNumbers: number[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reacted = issueNumbers.every(
      (n) => (github.state.reactions.get(`${repository}#${n}`) ?? []).length > 0,
    );
    if (reacted && jobsAndInboxSettled(issueNumbers)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not every issue was decided within ${timeoutMs} ms`);
}

function jobsAndInboxSettled(issueNumbers: number[]): boolean {
  const db = new DatabaseSync(`${cwd}/state/jobs.db`, { readOnly: true });
  try {
    const withJobs = db
      .prepare("SELECT COUNT(DISTINCT issue_number) AS n FROM jobs WHERE repository = ?")
      .get(repository);
    if (Number(withJobs?.n) < issueNumbers.length) return false;
    const inbox = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'inbox'").get();
    if (inbox === undefined) return true;
    return Number(db.prepare("SELECT COUNT(*) AS n FROM inbox WHERE state = 'pending'").get()?.n) === 0;
  } finally {
    db.close();
  }
}
