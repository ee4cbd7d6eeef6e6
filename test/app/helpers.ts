import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pino } from "pino";
import { type Context, Probot, ProbotOctokit } from "probot";
import { z } from "zod";
import { createAutofixApp } from "../../src/app/app.ts";
import { botLoginResolver } from "../../src/app/bot-identity.ts";
import { deliveryHandler } from "../../src/app/dispatch.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { dispatchDue } from "../../src/worker/dispatcher.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

/** A throwaway RSA key, generated per test run: Probot signs its App JWTs with it. */
export function testPrivateKey(): string {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return privateKey;
}

const labeledExample = z.looseObject({
  action: z.literal("labeled"),
  issue: z.looseObject({ number: z.number() }),
  label: z.looseObject({ name: z.string() }),
  repository: z.looseObject({ name: z.string(), owner: z.looseObject({ login: z.string() }) }),
  sender: z.looseObject({ login: z.string(), type: z.string() }),
});
export type LabeledPayload = z.infer<typeof labeledExample> & {
  installation?: { id: number; node_id: string };
};

/** GitHub's own `issues.labeled` example payload, from @octokit/webhooks-examples. */
export function issuesLabeledExample(): LabeledPayload {
  return labeledExample.parse(webhookExample("issues", "labeled"));
}

const commentExample = z.looseObject({
  action: z.literal("created"),
  issue: z.looseObject({ number: z.number() }),
  comment: z.looseObject({ id: z.number(), body: z.string(), user: z.looseObject({ login: z.string() }) }),
  repository: z.looseObject({ name: z.string(), owner: z.looseObject({ login: z.string() }) }),
  sender: z.looseObject({ login: z.string(), type: z.string() }),
});
export type CommentPayload = z.infer<typeof commentExample> & {
  installation?: { id: number; node_id: string };
};

/** GitHub's own `issue_comment.created` example payload (on an issue, not a pull request). */
export function issueCommentExample(): CommentPayload {
  return commentExample.parse(webhookExample("issue_comment", "created"));
}

function webhookExample(event: string, action: string): unknown {
  const path = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
  const definitions = z
    .array(z.looseObject({ name: z.string(), examples: z.array(z.unknown()) }))
    .parse(JSON.parse(readFileSync(path, "utf8")));
  return definitions
    .find((d) => d.name === event)
    ?.examples.find((e) => (e as { action?: unknown }).action === action);
}

/**
 * Probot's Octokit without retries and without the throttle's 1 s spacing of writes. A function, not
 * an object: Probot passes its own `throttle` options in, which would replace an object default.
 */
const withoutRetryOrThrottle = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

export type Harness = {
  github: FakeGitHub;
  /** The real SQLite job store, in memory. */
  jobs: JobStore;
  probot: Probot;
  /**
   * Deliver `issues.labeled` with this label (and sender type) as delivery `id`. The sender's role comes from the fake permission API: `write` unless `role` says otherwise;
   * `null` makes the sender no collaborator at all (the API answers 404).
   */
  label(
    name: string,
    options?: { id?: string; senderType?: "User" | "Bot"; role?: string | null },
  ): Promise<void>;
  /** Deliver `issues.unlabeled` (with `label`) or `issues.closed`, the same example issue and sender. */
  stop(action: "unlabeled" | "closed", options?: { label?: string; role?: string }): Promise<void>;
  /**
   * Deliver `issue_comment.created` with this body on the same issue, from the example's commenter
   * (role as in `label`). The comment gets id `commentId` (a fresh one unless given).
   */
  comment(
    body: string,
    options?: {
      id?: string;
      commentId?: number;
      senderType?: "User" | "Bot";
      login?: string;
      role?: string | null;
      onPullRequest?: boolean;
    },
  ): Promise<void>;
  issueKey: string;
  repository: string;
};

/**
 * A Probot running autofixApp against the fake GitHub (at a GHE-style API root, to catch github.com).
 * Each delivery is received (recorded in the inbox), then dispatched, as the App's dispatcher would.
 */
export async function harness(example: LabeledPayload, privateKey: string): Promise<Harness> {
  const apiRoot = "https://ghe.example.test/api/v3";
  const github = new FakeGitHub({ apiRoot });
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: "test-secret",
    baseUrl: apiRoot,
    log: pino({ level: "silent" }),
    request: { fetch: github.fetch },
    Octokit: withoutRetryOrThrottle,
  });
  const jobs = openSqliteJobStore({ path: ":memory:" });
  await probot.load(createAutofixApp({ jobs }));
  const handle = deliveryHandler(probot, botLoginResolver(probot), jobs);
  const log = pino({ level: "silent" });
  const receive: typeof probot.receive = async (event) => {
    await probot.receive(event);
    await dispatchDue({ inbox: jobs, handle, log });
  };
  const owner = example.repository.owner.login;
  const repository = `${owner}/${example.repository.name}`;
  let deliveries = 0;
  let comments = 70_000;
  const commented = issueCommentExample();
  return {
    github,
    jobs,
    probot,
    repository,
    issueKey: `${repository}#${example.issue.number}`,
    async label(name, options = {}) {
      const payload = structuredClone(example);
      payload.label.name = name;
      payload.sender.type = options.senderType ?? "User";
      const who = `${repository}:${payload.sender.login}`;
      if (options.role === null) github.permissions.delete(who);
      else github.permissions.set(who, options.role ?? "write");
      payload.installation = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
      await receive({
        id: options.id ?? `delivery-${++deliveries}`,
        name: "issues",
        payload: payload as unknown as Context<"issues.labeled">["payload"],
      });
    },
    async comment(body, options = {}) {
      const payload = structuredClone(commented) as CommentPayload & Record<string, unknown>;
      payload.issue = { ...structuredClone(example.issue), number: example.issue.number };
      if (options.onPullRequest) payload.issue.pull_request = { url: "https://ghe.example.test/pulls/1" };
      payload.repository = structuredClone(example.repository);
      payload.comment.id = options.commentId ?? ++comments;
      payload.comment.body = body;
      const login = options.login ?? commented.sender.login;
      payload.comment.user.login = login;
      payload.sender.login = login;
      payload.sender.type = options.senderType ?? "User";
      if (options.role === null) github.permissions.delete(`${repository}:${login}`);
      else github.permissions.set(`${repository}:${login}`, options.role ?? "write");
      payload.installation = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
      await receive({
        id: options.id ?? `delivery-${++deliveries}`,
        name: "issue_comment",
        payload: payload as unknown as Context<"issue_comment.created">["payload"],
      });
    },
    async stop(action, options = {}) {
      const payload: Record<string, unknown> = { ...structuredClone(example), action };
      if (action === "unlabeled") payload.label = { ...example.label, name: options.label ?? "autofix" };
      else delete payload.label;
      github.permissions.set(`${repository}:${example.sender.login}`, options.role ?? "write");
      payload.installation = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
      await receive({
        id: `delivery-${++deliveries}`,
        name: "issues",
        payload: payload as unknown as Context<"issues.unlabeled">["payload"],
      });
    },
  };
}
