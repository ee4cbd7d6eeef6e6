import { getTransformStream } from "@probot/pino";
import { type Logger, pino } from "pino";
import type { AppSettings } from "./settings.ts";

/**
 * Probot's own log setup (pretty lines in development, JSON lines in production), built here because
 * probot does not export its logger factory and its Server ignores LOG_LEVEL/LOG_FORMAT otherwise.
 */
export async function createLogger(settings: Pick<AppSettings, "logLevel" | "logFormat">): Promise<Logger> {
  const transform = await getTransformStream({ logFormat: settings.logFormat });
  transform.pipe(process.stdout);
  return pino({ level: settings.logLevel, name: "autofix" }, transform);
}
