import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";

type Middleware = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** GitHub sends at most 25 MB; anything larger is not a delivery. */
const MAX_BODY_BYTES = 26 * 1024 * 1024;

/**
 * The front door for webhooks at `paths`: a POST is passed on to Probot's middleware only when it
 * carries an event name, a delivery id, a valid `X-Hub-Signature-256` HMAC of its exact bytes, and a
 * JSON object as body. Anything else is answered 401 before any handler runs, so nothing is queued
 * and GitHub is asked nothing. (Probot's own middleware would answer such requests 400 or 500.)
 */
export function webhookGate(options: {
  paths: readonly string[];
  secret: string;
  log: Logger;
  next: Middleware;
}): Middleware {
  const { paths, secret, log, next } = options;
  return async (req, res) => {
    if (req.method !== "POST" || !paths.includes(req.url?.split("?")[0] ?? "")) return false;
    const bytes = await readBody(req);
    const problem = bytes === undefined ? "body too large" : rejection(req, bytes, secret);
    if (problem !== undefined || bytes === undefined) {
      const delivery = header(req, "x-github-delivery");
      log.warn({ deliveryId: delivery, problem, path: req.url }, "rejected a webhook request (401)");
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `not a valid GitHub webhook delivery: ${problem}` }));
      return true;
    }
    // Probot's middleware reads a string `body` instead of the (already consumed) stream.
    (req as IncomingMessage & { body?: string }).body = bytes.toString("utf8");
    return next(req, res);
  };
}

function rejection(req: IncomingMessage, bytes: Buffer, secret: string): string | undefined {
  if (header(req, "x-github-event") === undefined) return "no X-GitHub-Event header";
  if (header(req, "x-github-delivery") === undefined) return "no X-GitHub-Delivery header";
  const signature = header(req, "x-hub-signature-256");
  if (signature === undefined) return "unsigned (no X-Hub-Signature-256 header)";
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad signature";
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return "body is not a JSON object";
  } catch {
    return "body is not JSON";
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === "" ? undefined : text;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
