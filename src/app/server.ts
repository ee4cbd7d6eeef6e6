import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApplicationFunction, type Logger, Probot, type ProbotOctokit, Server } from "probot";
import { HEALTH_PATH, healthHandler } from "./health.ts";
import { metricsHandler } from "./metrics.ts";
import type { AppSettings, Mode } from "./settings.ts";
import { loadSetupAppFactory } from "./setup-page.ts";
import { type RejectReason, webhookGate } from "./webhook-gate.ts";

export type StartOptions = {
  settings: AppSettings;
  mode: Mode;
  log: Logger;
  appFn: ApplicationFunction;
  /** Tests hand in an Octokit class (e.g. with a fake `request.fetch`); production uses Probot's. */
  Octokit?: typeof ProbotOctokit;
  /** The Prometheus exposition text for `GET /metrics` (App mode only). */
  metrics?: () => string;
  /** Told of each webhook request refused with 401 (metrics). */
  onWebhookRejected?: (reason: RejectReason) => void;
};

export type RunningServer = {
  mode: Mode;
  /** Where a person on this machine reaches the server. */
  url: string;
  webhookUrl: string | undefined;
  healthUrl: string;
  stop(): Promise<void>;
};

/**
 * A Probot server in either mode, with our health endpoint in both (Probot's `/ping` stays). Composed
 * here rather than with probot's `run()`, whose set-up mode loads only the set-up page, and whose
 * Server fixes its handler list at `start()` — so every handler is added before starting.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { settings, mode, log } = options;
  const server = mode === "app" ? await appServer(options) : await setupServer(settings, log);
  await server.start();
  const url = `http://${displayHost(settings.host)}:${server.port}`;
  return {
    mode,
    url,
    webhookUrl: mode === "app" ? `${url}${settings.webhookPath}` : undefined,
    healthUrl: `${url}${HEALTH_PATH}`,
    stop: () => server.stop(),
  };
}

/**
 * Probot puts its own webhook middleware first, at the Server's `webhookPath`, and answers bad
 * deliveries there with 400 or 500. It is parked at this path; the App's webhook paths go through
 * `webhookGate` (401 for anything unsigned or malformed), which then hands the delivery to Probot.
 * (A WEBHOOK_PROXY_URL relay forwards to the parked path: Probot still checks the signature there.)
 */
const PROBOT_INTERNAL_WEBHOOK_PATH = "/__probot/webhooks";

async function appServer(options: StartOptions): Promise<Server> {
  const { settings, log, appFn, Octokit, metrics } = options;
  const server = new Server({
    host: settings.host,
    port: settings.port,
    webhookPath: PROBOT_INTERNAL_WEBHOOK_PATH,
    webhookProxy: settings.webhookProxyUrl,
    log,
    Probot: Probot.defaults({
      appId: settings.appId,
      privateKey: settings.privateKey?.pem,
      secret: settings.webhookSecret,
      baseUrl: settings.githubApiUrl,
      log,
      ...(Octokit === undefined ? {} : { Octokit }),
    }),
  });
  server.addHandler(healthHandler("app"));
  if (metrics !== undefined) server.addHandler(metricsHandler(metrics));
  await server.load(async (probot, loadOptions) => {
    await appFn(probot, loadOptions);
    // Probot's manifest registration points the App's webhook at the server's root (`<url>/`); the
    // documented path is WEBHOOK_PATH: accept signed deliveries at both.
    const paths = [...new Set([settings.webhookPath, "/"])];
    const toProbot = new Map<string, Middleware>();
    for (const path of paths) toProbot.set(path, await probot.getNodeMiddleware({ path }));
    loadOptions.addHandler(
      webhookGate({
        paths,
        // Probot's own default when no secret is set (main.ts warns about it).
        secret: settings.webhookSecret ?? "development",
        log,
        next: (req, res) => toProbot.get(req.url?.split("?")[0] ?? "")?.(req, res) ?? false,
        ...(options.onWebhookRejected === undefined ? {} : { onReject: options.onWebhookRejected }),
      }),
    );
  });
  return server;
}

async function setupServer(settings: AppSettings, log: Logger): Promise<Server> {
  // Without NO_SMEE_SETUP Probot tries to create a smee.io channel (a third-party webhook relay) by
  // importing smee-client, which is not installed: it would only log a misleading warning, or, where
  // installed, reach the internet. WEBHOOK_PROXY_URL names a channel explicitly instead.
  process.env.NO_SMEE_SETUP ??= "true";
  const server = new Server({
    host: settings.host,
    port: settings.port,
    webhookPath: settings.webhookPath,
    log,
    // Probot needs some credentials to construct; in set-up mode nothing uses them (probot#1512).
    Probot: Probot.defaults({
      appId: 1,
      privateKey: "unused in set-up mode",
      baseUrl: settings.githubApiUrl,
      log,
    }),
  });
  const setupAppFactory = await loadSetupAppFactory();
  await server.loadHandlerFactory(
    setupAppFactory({ host: server.host, port: server.port, log: log.child({ name: "setup" }) }),
  );
  server.addHandler(healthHandler("setup"));
  return server;
}

type Middleware = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

function displayHost(host: string | undefined): string {
  if (host === undefined || host === "" || host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}
