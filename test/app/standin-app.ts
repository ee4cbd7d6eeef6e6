import { createHmac } from "node:crypto";
import { join } from "node:path";
import { dispatched } from "../support/dispatched.ts";
import { GitHubStandIn } from "../support/github-stand-in/server.ts";
import { type AppProcess, freePort, scratchCwd, startApp, waitForHttp } from "./process.ts";

export const SECRET = "e2e-webhook-secret";

export type StandInApp = {
  github: GitHubStandIn;
  app: AppProcess;
  base: string;
  dbPath: string;
  /** POST a webhook body as `event`, signed with `secret` (or unsigned when `secret` is null). */
  post(options: {
    id: string;
    event?: string;
    body: string;
    secret?: string | null;
    headers?: Record<string, string>;
  }): Promise<Response>;
  /** Wait until the App has dispatched these deliveries (decided them: reacted, commented, queued…). */
  dispatched(...deliveryIds: string[]): Promise<void>;
  /** Start the App again in the same working directory (same job database), against the same stand-in. */
  relaunch(env?: Record<string, string>): Promise<StandInApp>;
};

/**
 * `node src/app/main.ts` as a process against the OpenAPI-checked GitHub stand-in (GitHub itself is
 * unreachable here), found the way GHES is: GHE_HOST + GHE_PROTOCOL. The caller stops both.
 */
export async function startAppAgainstStandIn(
  privateKey: string,
  options: { appId: number; env?: Record<string, string> },
): Promise<StandInApp> {
  const github = new GitHubStandIn({ appId: options.appId, privateKeyPem: privateKey });
  await github.start();
  return launch(github, scratchCwd(), privateKey, options.appId, options.env ?? {});
}

async function launch(
  github: GitHubStandIn,
  cwd: string,
  privateKey: string,
  appId: number,
  env: Record<string, string>,
): Promise<StandInApp> {
  const port = await freePort();
  const app = startApp(cwd, {
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_FORMAT: "json",
    APP_ID: String(appId),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    AUTOFIX_DB: "state/jobs.db",
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core host the App can take more than 10 s to come up.
  await waitForHttp(`${base}/healthz`, app, 30_000);
  const dbPath = join(cwd, "state/jobs.db");
  return {
    github,
    app,
    base,
    dbPath,
    dispatched: (...ids) => dispatched(dbPath, ids, app.output),
    relaunch: (again = env) => launch(github, cwd, privateKey, appId, again),
    post: ({ id, event = "issues", body, secret = SECRET, headers = {} }) =>
      fetch(`${base}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": id,
          ...(secret === null
            ? {}
            : { "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` }),
          ...headers,
        },
        body,
      }),
  };
}
