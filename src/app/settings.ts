import { z } from "zod";
import { AutofixError } from "../errors.ts";
import { type FoundKey, findPrivateKey } from "./private-key.ts";

/** The environment variables the App server reads (the model's AUTOFIX_LLM_* are the model layer's). */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().optional(),
  NODE_ENV: z.string().optional(),
  APP_ID: z.string().regex(/^\d+$/, "the numeric App ID from the GitHub App's settings page").optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
  WEBHOOK_PROXY_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  GHE_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a host name like github.example.com, without scheme or path")
    .optional(),
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
});

export type AppSettings = {
  port: number;
  /** Interface to listen on; Probot's default (localhost) when unset. */
  host: string | undefined;
  production: boolean;
  logLevel: z.output<typeof envSchema>["LOG_LEVEL"];
  logFormat: "json" | "pretty";
  /** GitHub's REST API: api.github.com, or `<GHE_PROTOCOL>://<GHE_HOST>/api/v3` (as Probot derives it). */
  githubApiUrl: string;
  webhookPath: string;
  webhookProxyUrl: string | undefined;
  webhookSecret: string | undefined;
  appId: number | undefined;
  privateKey: FoundKey | undefined;
};

/** Read and check the App's settings; an unusable value is an AutofixError naming the variable. */
export function readSettings(env: NodeJS.ProcessEnv, cwd: string): AppSettings {
  // `APP_ID=` in a .env file means "not set", not "set to nothing".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new AutofixError("app_env_invalid", `invalid environment: ${problems.join("; ")}`, {
      hint: "fix the variable in the environment or in .env (see .env.example)",
      context: { problems },
    });
  }
  const e = parsed.data;
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
    privateKey: findPrivateKey(present, cwd),
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
