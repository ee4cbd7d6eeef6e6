import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import { AutofixError } from "../errors.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** The part of probot's internal `setupAppFactory` we use (probot/lib/apps/setup.js, Probot 14). */
export type SetupAppFactory = (options: {
  host: string;
  port: number;
  log: Logger;
  updateEnv?: (env: Record<string, string>) => Record<string, string>;
}) => () => Promise<Handler>;

/**
 * Probot's set-up page (`/probot`: register the App from app.yml, or import an existing one; writes
 * APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env). Probot only wires it up inside `run()`, which then
 * loads nothing else (no health endpoint), and `setupAppFactory` is not in probot's package exports —
 * so we import the module by file URL, next to the resolved package entry, and check its shape.
 */
export async function loadSetupAppFactory(): Promise<SetupAppFactory> {
  const url = new URL("./apps/setup.js", import.meta.resolve("probot"));
  let module: unknown;
  try {
    module = await import(url.href);
  } catch (error) {
    throw unavailable(url.href, error);
  }
  const factory = (module as { setupAppFactory?: unknown } | null)?.setupAppFactory;
  if (typeof factory !== "function") throw unavailable(url.href, "no setupAppFactory export");
  return factory as SetupAppFactory;
}

function unavailable(where: string, cause: unknown): AutofixError {
  return new AutofixError(
    "probot_setup_unavailable",
    `Probot's set-up page could not be loaded from ${where}`,
    {
      hint: "the installed probot version moved its internals: pin probot 14, or set APP_ID and PRIVATE_KEY",
      cause,
    },
  );
}
