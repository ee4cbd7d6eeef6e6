import { setTimeout as sleep } from "node:timers/promises";
import type { ApplicationFunction, Logger, Probot } from "probot";
import { type Environment, readEnvironment } from "../config/environment.ts";
import { describeError } from "../errors.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { jobDbPath, openSqliteJobStore } from "../jobs/sqlite-job-store.ts";
import { type Dispatcher, startDispatcher } from "../worker/dispatcher.ts";
import type { RunPipeline } from "../worker/pipeline.ts";
import { pipelineFromEnv, type SelectedPipeline } from "../worker/scripted-pipeline.ts";
import {
  dispatchEnabled,
  readWorkerSettings,
  type WorkerSettings,
  workerEnabled,
} from "../worker/settings.ts";
import { startWorker, type Worker } from "../worker/worker.ts";
import { createAutofixApp } from "./app.ts";
import { botLoginResolver } from "./bot-identity.ts";
import { deliveryHandler } from "./dispatch.ts";
import { loadDotEnv } from "./dotenv.ts";
import { VERSION } from "./health.ts";
import { instrumentPipeline } from "./instrument-pipeline.ts";
import { jobContextFactory } from "./job-context.ts";
import { createLogger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { type RunningServer, startServer } from "./server.ts";
import { type AppSettings, decideMode, type Mode, readSettings } from "./settings.ts";

/**
 * How long SIGTERM waits for running jobs to stop before releasing them and exiting: within Docker's
 * default 10 s between SIGTERM and SIGKILL, so the release always happens.
 */
const SHUTDOWN_GRACE_MS = 8_000;

/**
 * `npm start`: the autofix GitHub App. With APP_ID and a private key it serves webhooks; without them
 * it serves Probot's set-up page at /probot (in development; production refuses to start).
 */
export async function main(cwd = process.cwd()): Promise<number> {
  let settings: AppSettings;
  let mode: Mode;
  let pipeline: SelectedPipeline | undefined;
  let workerSettings: WorkerSettings;
  let environment: Environment;
  let dispatching: boolean;
  try {
    loadDotEnv(cwd);
    environment = readEnvironment(process.env);
    settings = readSettings(environment, cwd);
    mode = decideMode(settings);
    pipeline = workerEnabled(environment) ? pipelineFromEnv(environment, cwd) : undefined;
    workerSettings = readWorkerSettings(environment);
    dispatching = dispatchEnabled(environment);
  } catch (error) {
    process.stderr.write(`autofix: cannot start: ${describeError(error)}\n`);
    return 1;
  }

  const log = await createLogger(settings);
  warnAboutHalfConfigured(settings, mode, log);
  let running: RunningServer;
  let jobs: JobStore | undefined;
  let worker: Worker | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    // Set-up mode receives no webhooks, so it needs no job database.
    if (mode === "app") jobs = openSqliteJobStore({ path: jobDbPath(environment, cwd) });
    let probot: Probot | undefined;
    const store = jobs ?? unusedJobStore();
    const autofix = createAutofixApp({ jobs: store, onRecorded: () => dispatcher?.wake() });
    const appFn: ApplicationFunction = async (app, options) => {
      probot = app;
      await autofix(app, options);
    };
    const metrics = createMetrics();
    running = await startServer({
      settings,
      mode,
      log,
      appFn,
      metrics: () => metrics.render(store.countByState(), store.countDeliveries()),
      onWebhookRejected: (reason) => metrics.countRejectedWebhook(reason),
    });
    if (jobs !== undefined && probot !== undefined) {
      const botLogin = botLoginResolver(probot);
      if (dispatching) {
        const handle = deliveryHandler(probot, botLogin, jobs);
        dispatcher = startDispatcher({ inbox: jobs, handle, log, pollMs: 500 });
      } else log.warn("AUTOFIX_DISPATCH=off: deliveries are recorded but not decided by this process");
      const measured = pipeline === undefined ? undefined : instrumentPipeline(pipeline, metrics);
      worker = startJobWorker(jobs, probot, botLogin, measured, { settings, workerSettings }, log);
      if (worker !== undefined && pipeline !== undefined) {
        log.info({ pipeline: pipeline.description }, `jobs run through ${pipeline.description}`);
      }
    }
  } catch (error) {
    jobs?.close();
    process.stderr.write(`autofix: cannot start: ${describeError(error)}\n`);
    return 1;
  }
  announce(running, settings, log);
  stopOnSignals(running, log, async () => {
    // Beside the worker's stop, within the same grace. A delivery still being decided when it ends
    // stays leased and is decided again after the restart.
    const dispatcherStopped = Promise.race([
      dispatcher?.stop(),
      sleep(SHUTDOWN_GRACE_MS / 2, undefined, { ref: false }),
    ]);
    if (worker !== undefined) {
      const stopped = await Promise.race([
        worker.stop().then(() => true),
        sleep(SHUTDOWN_GRACE_MS, false, { ref: false }),
      ]);
      if (!stopped)
        log.warn(`running jobs did not stop within ${SHUTDOWN_GRACE_MS} ms; releasing them anyway`);
      // The interrupted jobs go straight back to the queue: the next start resumes them at once.
      const released = jobs?.release(worker.id) ?? [];
      if (released.length > 0) log.info({ jobIds: released }, "released the running jobs back to the queue");
    }
    await dispatcherStopped;
    jobs?.close();
  });
  return 0;
}

/** The worker runs jobs only when a pipeline is selected; with AUTOFIX_WORKER=off jobs stay queued. */
function startJobWorker(
  jobs: JobStore,
  probot: Probot,
  botLogin: () => Promise<string>,
  pipeline: RunPipeline | undefined,
  { settings, workerSettings }: { settings: AppSettings; workerSettings: WorkerSettings },
  log: Logger,
): Worker | undefined {
  if (pipeline === undefined) {
    log.warn("AUTOFIX_WORKER=off: jobs are queued but not run by this process");
    return undefined;
  }
  const host = new URL(settings.githubApiUrl).hostname.replace(/^api\./, "");
  const contextFor = jobContextFactory(probot, botLogin, host);
  return startWorker({ jobs, pipeline, contextFor, log, pollMs: 200, ...workerSettings });
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

function stopOnSignals(running: RunningServer, log: Logger, release: () => Promise<void>): void {
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, "stopping");
    running
      .stop()
      .then(release)
      .then(
        () => {
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
