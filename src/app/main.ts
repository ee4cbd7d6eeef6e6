import type { Logger } from "probot";
import { describeError } from "../errors.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { jobDbPath, openSqliteJobStore } from "../jobs/sqlite-job-store.ts";
import { createAutofixApp } from "./app.ts";
import { loadDotEnv } from "./dotenv.ts";
import { VERSION } from "./health.ts";
import { createLogger } from "./logger.ts";
import { type RunningServer, startServer } from "./server.ts";
import { type AppSettings, decideMode, type Mode, readSettings } from "./settings.ts";

/**
 * `npm start`: the autofix GitHub App. With APP_ID and a private key it serves webhooks; without them
 * it serves Probot's set-up page at /probot (in development; production refuses to start).
 */
export async function main(cwd = process.cwd()): Promise<number> {
  let settings: AppSettings;
  let mode: Mode;
  try {
    loadDotEnv(cwd);
    settings = readSettings(process.env, cwd);
    mode = decideMode(settings);
  } catch (error) {
    process.stderr.write(`autofix: cannot start: ${describeError(error)}\n`);
    return 1;
  }

  const log = await createLogger(settings);
  warnAboutHalfConfigured(settings, mode, log);
  let running: RunningServer;
  let jobs: JobStore | undefined;
  try {
    // Set-up mode receives no webhooks, so it needs no job database.
    if (mode === "app") jobs = openSqliteJobStore({ path: jobDbPath(process.env, cwd) });
    const appFn = createAutofixApp({ jobs: jobs ?? unusedJobStore() });
    running = await startServer({ settings, mode, log, appFn });
  } catch (error) {
    jobs?.close();
    process.stderr.write(`autofix: cannot start: ${describeError(error)}\n`);
    return 1;
  }
  announce(running, settings, log);
  stopOnSignals(running, log, () => jobs?.close());
  return 0;
}

function announce(running: RunningServer, settings: AppSettings, log: Logger): void {
  const where = { mode: running.mode, url: running.url };
  if (running.mode === "setup") {
    log.info(
      where,
      `autofix ${VERSION} is up in set-up mode at ${running.url} (no GitHub App credentials yet). ` +
        `Next: open ${running.url}/probot to register the GitHub App; it writes APP_ID, PRIVATE_KEY and ` +
        "WEBHOOK_SECRET to .env. Then restart (npm start).",
    );
    return;
  }
  log.info(
    { ...where, appId: settings.appId, webhooks: running.webhookUrl, githubApi: settings.githubApiUrl },
    `autofix ${VERSION} is up as GitHub App ${settings.appId} at ${running.url}; webhooks at ${running.webhookUrl}, ` +
      `GitHub API ${settings.githubApiUrl}. Next: install the App on a repository and label an issue.`,
  );
}

function warnAboutHalfConfigured(settings: AppSettings, mode: Mode, log: Logger): void {
  if (mode === "setup" && (settings.appId !== undefined || settings.privateKey !== undefined)) {
    const missing =
      settings.appId === undefined ? "APP_ID" : "a private key (PRIVATE_KEY or PRIVATE_KEY_PATH)";
    log.warn(`${missing} is not set, so the App starts in set-up mode instead of receiving webhooks`);
  }
  if (mode === "app" && settings.webhookSecret === undefined) {
    log.warn(
      'WEBHOOK_SECRET is not set: deliveries are checked against Probot\'s development secret "development". ' +
        "Set it to the App's webhook secret.",
    );
  }
}

function unusedJobStore(): JobStore {
  return openSqliteJobStore({ path: ":memory:" });
}

function stopOnSignals(running: RunningServer, log: Logger, release: () => void): void {
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, "stopping");
    running.stop().then(
      () => {
        release();
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.main) {
  const code = await main();
  if (code !== 0) process.exit(code);
}
