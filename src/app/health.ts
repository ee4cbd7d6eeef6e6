import type { IncomingMessage, ServerResponse } from "node:http";
import packageJson from "../../package.json" with { type: "json" };
import type { Mode } from "./settings.ts";

export const HEALTH_PATH = "/healthz";
export const VERSION: string = packageJson.version;

export type Health = { status: "ok"; mode: Mode; version: string };

/** `GET /healthz` → 200 `{status, mode, version}`: the process is up and serving (liveness, no GitHub call). */
export function healthHandler(mode: Mode) {
  const body = JSON.stringify({ status: "ok", mode, version: VERSION } satisfies Health);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = req.url?.split("?")[0];
    if (path !== HEALTH_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
