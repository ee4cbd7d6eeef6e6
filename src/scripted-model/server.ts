import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { AutofixError } from "../errors.ts";
import {
  parseScript,
  type ResolvedReply,
  type ResolvedScript,
  readScriptFile,
  type ScriptResult,
} from "./load-script.ts";
import { completionBody, errorBody, noMatchMessage } from "./reply.ts";
import { type IncomingChat, RuleBook } from "./rules.ts";

export interface RecordedRequest extends IncomingChat {
  temperature: number | undefined;
  maxTokens: number | undefined;
  /** The rule that answered; null for the fallback. */
  rule: string | null;
  /** The status answered; null when the reply hangs. */
  status: number | null;
  at: number;
}

export interface ScriptedModelOptions {
  /** A script object (or just its list of rules). */
  script?: unknown;
  /** Or a YAML/JSON script file. */
  scriptPath?: string;
  /** Or a script already loaded with readScriptFile/parseScript. */
  loaded?: ResolvedScript;
  /** Where an inline script's contentFile paths start (default: the working directory). */
  baseDir?: string;
  port?: number;
  host?: string;
  onRequest?: (request: RecordedRequest) => void;
}

export interface ScriptedModel {
  /** Base URL for the client, ending with /v1. */
  readonly url: string;
  readonly port: number;
  /** Every chat request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Chat requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const CHAT_PATHS = new Set(["/v1/chat/completions", "/chat/completions"]);
const MODEL_PATHS = new Set(["/v1/models", "/models"]);
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Start the scripted OpenAI-compatible server on loopback (an ephemeral port unless one is given). */
export async function startScriptedModel(options: ScriptedModelOptions): Promise<ScriptedModel> {
  const loaded = loadScript(options);
  if (!loaded.ok) {
    const lines = loaded.problems.map(
      (p) => `${p.line === undefined ? "" : `line ${p.line}: `}${p.path}: ${p.message}`,
    );
    throw new AutofixError(
      "scripted_model_script_invalid",
      `The scripted model's script is invalid:\n  ${lines.join("\n  ")}`,
      {
        hint: "See docs/scripted-model.md for the script format.",
        context: { problems: loaded.problems },
      },
    );
  }
  const rules = new RuleBook(loaded.script);
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const counts = { inFlight: 0, maxInFlight: 0 };
  const models = [
    ...new Set(
      loaded.script.rules.flatMap((r) => (r.when.model && !r.when.model.includes("*") ? [r.when.model] : [])),
    ),
  ];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      sendJson(res, 500, errorBody(`scripted model failed: ${String(error)}`, 500)),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://scripted").pathname.replace(/\/+$/, "");
    if (req.method === "GET" && MODEL_PATHS.has(path)) {
      const data = [...models, "scripted-model"].map((id) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "scripted",
      }));
      return sendJson(res, 200, { object: "list", data });
    }
    if (req.method === "GET" && path === "/health") return sendJson(res, 200, { ok: true });
    if (req.method !== "POST" || !CHAT_PATHS.has(path)) {
      return sendJson(
        res,
        404,
        errorBody(`unknown route ${req.method} ${path}; use POST /v1/chat/completions`, 404),
      );
    }
    const parsed = chatRequestSchema.safeParse(await readJson(req));
    if (!parsed.success)
      return sendJson(res, 400, errorBody(`bad chat request: ${z.prettifyError(parsed.error)}`, 400));
    if (parsed.data.stream)
      return sendJson(res, 400, errorBody("the scripted model does not stream; send stream: false", 400));
    const stageHeader = req.headers["x-autofix-stage"];
    const incoming: IncomingChat = {
      stage: typeof stageHeader === "string" ? stageHeader : "",
      model: parsed.data.model,
      n: parsed.data.n ?? 1,
      messages: parsed.data.messages.map((m) => ({ role: m.role, content: textOf(m.content) })),
    };
    const pick = rules.pick(incoming);
    const reply: ResolvedReply = pick?.reply ?? { status: 404, error: noMatchMessage(incoming) };
    const record: RecordedRequest = {
      ...incoming,
      temperature: parsed.data.temperature,
      maxTokens: parsed.data.max_tokens ?? parsed.data.max_completion_tokens,
      rule: pick?.rule ?? null,
      status: reply.hang ? null : (reply.status ?? 200),
      at: Date.now(),
    };
    requests.push(record);
    options.onRequest?.(record);
    counts.inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    res.once("close", () => counts.inFlight--);
    if (reply.hang) return; // never answered; close() drops the connection
    if (reply.delayMs) await sleep(reply.delayMs, timers);
    if (res.destroyed || res.writableEnded) return;
    const status = reply.status ?? 200;
    if (reply.retryAfterMs !== undefined) {
      res.setHeader("retry-after-ms", String(reply.retryAfterMs));
      res.setHeader("retry-after", String(Math.ceil(reply.retryAfterMs / 1000)));
    }
    if (status >= 400) return sendJson(res, status, errorBody(reply.error ?? defaultError(status), status));
    sendJson(res, status, completionBody(reply, incoming));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    requests,
    get inFlight() {
      return counts.inFlight;
    },
    get maxInFlight() {
      return counts.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function loadScript(options: ScriptedModelOptions): ScriptResult {
  if (options.loaded !== undefined) return { ok: true, script: options.loaded };
  if (options.scriptPath !== undefined) return readScriptFile(options.scriptPath);
  if (options.script !== undefined) return parseScript(options.script, options.baseDir ?? process.cwd());
  return { ok: false, problems: [{ path: "(options)", message: "give script or scriptPath" }] };
}

const contentSchema = z.union([
  z.string(),
  z.null(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);
const chatRequestSchema = z.looseObject({
  model: z.string().default(""),
  messages: z.array(z.looseObject({ role: z.string(), content: contentSchema.optional() })).min(1),
  n: z
    .int()
    .min(1)
    .max(128)
    .nullish()
    .transform((v) => v ?? undefined),
  temperature: z
    .number()
    .nullish()
    .transform((v) => v ?? undefined),
  max_tokens: z
    .int()
    .nullish()
    .transform((v) => v ?? undefined),
  max_completion_tokens: z
    .int()
    .nullish()
    .transform((v) => v ?? undefined),
  stream: z.boolean().nullish(),
});

function textOf(content: z.output<typeof contentSchema> | undefined): string {
  if (typeof content === "string") return content;
  return (content ?? []).map((part) => part.text ?? "").join("");
}

function defaultError(status: number): string {
  if (status === 429) return "Rate limit reached (scripted).";
  if (status >= 500) return `The server had an error while processing your request (scripted ${status}).`;
  return `Scripted error ${status}.`;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}
