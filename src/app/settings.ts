import {
  type Environment,
  type EnvironmentValues,
  type EnvironmentVariable,
  problemsWith,
} from "../config/environment.ts";
import { AutofixError } from "../errors.ts";
import { type FoundKey, findPrivateKey } from "./private-key.ts";

/** The variables the App server reads (the model's AUTOFIX_LLM_* are the model layer's). */
const APP_VARIABLES = [
  "PORT",
  "HOST",
  "NODE_ENV",
  "APP_ID",
  "WEBHOOK_SECRET",
  "WEBHOOK_PATH",
  "WEBHOOK_PROXY_URL",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "GHE_HOST",
  "GHE_PROTOCOL",
] as const satisfies readonly EnvironmentVariable[];

export type AppSettings = {
  port: number;
  /** Interface to listen on; Probot's default (localhost) when unset. */
  host: string | undefined;
  production: boolean;
  logLevel: EnvironmentValues["LOG_LEVEL"];
  logFormat: "json" | "pretty";
  /** GitHub's REST API: api.github.com, or `<GHE_PROTOCOL>://<GHE_HOST>/api/v3` (as Probot derives it). */
  githubApiUrl: string;
  webhookPath: string;
  webhookProxyUrl: string | undefined;
  webhookSecret: string | undefined;
  appId: number | undefined;
  privateKey: FoundKey | undefined;
};

/** The App's settings from the environment; an unusable value is an AutofixError naming the variable. */
export function readSettings(environment: Environment, cwd: string): AppSettings {
  const problems = problemsWith(environment, APP_VARIABLES).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > 0) {
    throw new AutofixError("app_env_invalid", `invalid environment: ${problems.join("; ")}`, {
      hint: "fix the variable in the environment or in .env (see .env.example)",
      context: { problems },
    });
  }
  const e = environment.values;
  const production = e.NODE_ENV === "production";
  return {
    port: e.PORT,
    host: e.HOST,
    production,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (production ? "json" : "pretty"),
    githubApiUrl: e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3` : "https://api.github.com",
    webhookPath: e.WEBHOOK_PATH,
    webhookProxyUrl: e.WEBHOOK_PROXY_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    appId: e.APP_ID === undefined ? undefined : Number(e.APP_ID),
    privateKey: findPrivateKey({ PRIVATE_KEY: e.PRIVATE_KEY, PRIVATE_KEY_PATH: e.PRIVATE_KEY_PATH }, cwd),
  };
}

export type Mode = "app" | "setup";

/**
 * `app` with an App ID and a private key; otherwise `setup` (Probot's registration page), except in
 * production, where missing credentials are an error naming what to set.
 */
export function decideMode(settings: AppSettings): Mode {
  const missing = [
    ...(settings.appId === undefined ? ["APP_ID"] : []),
    ...(settings.privateKey === undefined ? ["PRIVATE_KEY (or PRIVATE_KEY_PATH)"] : []),
    ...(settings.production && settings.webhookSecret === undefined ? ["WEBHOOK_SECRET"] : []),
  ];
  if (missing.length === 0) return "app";
  if (settings.production) {
    throw new AutofixError(
      "app_credentials_missing",
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set, and NODE_ENV=production needs the GitHub App's credentials`,
      {
        hint:
          "set APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, and WEBHOOK_SECRET from the GitHub App's settings page; " +
          "or start without NODE_ENV=production to register a new App at /probot",
        context: { missing },
      },
    );
  }
  return "setup";
}
