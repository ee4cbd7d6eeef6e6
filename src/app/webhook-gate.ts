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
  /** Told the reason of each rejection (metrics). */
  onReject?: (reason: RejectReason) => void;
}): Middleware {
  const { paths, secret, log, next } = options;
  return async (req, res) => {
    if (req.method !== "POST" || !paths.includes(req.url?.split("?")[0] ?? "")) return false;
    const bytes = await readBody(req);
    const problem: Rejection | undefined =
      bytes === undefined
        ? { reason: "too-large", message: "body too large" }
        : rejection(req, bytes, secret);
    if (problem !== undefined || bytes === undefined) {
      const delivery = header(req, "x-github-delivery");
      log.warn(
        { deliveryId: delivery, problem: problem?.message, path: req.url },
        "rejected a webhook request (401)",
      );
      options.onReject?.(problem?.reason ?? "too-large");
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `not a valid GitHub webhook delivery: ${problem?.message}` }));
      return true;
    }
    // Probot's middleware reads a string `body` instead of the (already consumed) stream.
    (req as IncomingMessage & { body?: string }).body = bytes.toString("utf8");
    return next(req, res);
  };
}

export type RejectReason = "missing-header" | "unsigned" | "bad-signature" | "not-json" | "too-large";
type Rejection = { reason: RejectReason; message: string };

function rejection(req: IncomingMessage, bytes: Buffer, secret: string): Rejection | undefined {
  const missing = (name: string): Rejection => ({ reason: "missing-header", message: `no ${name} header` });
  if (header(req, "x-github-event") === undefined) return missing("X-GitHub-Event");
  if (header(req, "x-github-delivery") === undefined) return missing("X-GitHub-Delivery");
  const signature = header(req, "x-hub-signature-256");
  if (signature === undefined) return { reason: "unsigned", message: "no X-Hub-Signature-256 header" };
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { reason: "bad-signature", message: "the signature does not match the body and WEBHOOK_SECRET" };
  }
  const notJson: Rejection = { reason: "not-json", message: "the body is not a JSON object" };
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return notJson;
  } catch {
    return notJson;
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
