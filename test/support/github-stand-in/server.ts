import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { installationToken, jwtProblem } from "./auth.ts";
import { OpenApiChecker } from "./openapi.ts";
import { handleRepoOperation, type Reply } from "./repo-routes.ts";
import { StandInState } from "./state.ts";

/**
 * A STAND-IN for GitHub's REST API on loopback, for end-to-end tests (GitHub itself is unreachable
 * here). It serves, under `/api/v3` like GitHub Enterprise Server, the endpoints the App uses, with
 * in-memory state (`state`). EVERY request is first checked against GitHub's OpenAPI description
 * (see openapi.ts for what is checked); a request the real API would reject gets a 4xx answer and
 * is recorded in `violations`, which a test must assert empty. Auth is checked too: `/app/*` needs
 * a valid App JWT; repository endpoints need an installation token this stand-in issued.
 */
export type StandInOptions = {
  appId: number;
  privateKeyPem: string;
  appSlug?: string;
  /** Wait this long before answering each request, as a distant GitHub would (benchmarks). */
  latencyMs?: number;
};
export type Violation = { method: string; path: string; problems: string[] };
export type Seen = {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  body: unknown;
};

type Fault = { status: number; landed: boolean };

const PREFIX = "/api/v3";
let checker: OpenApiChecker | undefined;

export class GitHubStandIn {
  readonly state = new StandInState();
  readonly violations: Violation[] = [];
  readonly requests: Seen[] = [];
  readonly appSlug: string;
  readonly #options: StandInOptions;
  readonly #tokens = new Set<string>();
  /** operationId → faults to answer before serving it normally (e.g. GitHub's occasional 502). */
  readonly #faults = new Map<string, Fault[]>();
  #server: Server | undefined;
  #port = 0;

  constructor(options: StandInOptions) {
    this.#options = options;
    this.appSlug = options.appSlug ?? "autofix-e2e";
  }

  /** `127.0.0.1:<port>`, for `GHE_HOST` (with `GHE_PROTOCOL=http`). */
  get host(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /**
   * Answer the next `times` valid requests for `operationId` with `status` (a flaky GitHub). With
   * `landed`, each of them is carried out first and only its answer is lost — GitHub's 502 on a write
   * that went through, which a client retrying blindly turns into a duplicate.
   */
  failNext(operationId: string, status: number, times = 1, options: { landed?: boolean } = {}): void {
    const fault: Fault = { status, landed: options.landed === true };
    this.#faults.set(operationId, [
      ...(this.#faults.get(operationId) ?? []),
      ...Array<Fault>(times).fill(fault),
    ]);
  }

  /** Whether `token` is an installation token this stand-in issued (the git server asks). */
  issued(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** Requests that reached an operation, as `operationId` strings (tests assert on them). */
  operations(): string[] {
    return this.requests.map((r) => r.operationId ?? `?${r.method} ${r.path}`);
  }

  async start(): Promise<void> {
    checker ??= new OpenApiChecker();
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.violations.push({
          method: req.method ?? "",
          path: req.url ?? "",
          problems: [`stand-in crashed: ${String(error)}`],
        });
        send(res, { status: 500, body: { message: String(error) } });
      });
    });
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("stand-in has no port");
    this.#port = address.port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const text = await readBody(req);
    const latency = this.#options.latencyMs ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      return this.#reply(
        res,
        method,
        url.pathname,
        undefined,
        body,
        this.#reject(method, url.pathname, ["body: not JSON"], 400),
      );
    }
    if (!url.pathname.startsWith(`${PREFIX}/`)) {
      const problems = [`outside ${PREFIX}: a GHES client must use <host>${PREFIX}`];
      return this.#reply(
        res,
        method,
        url.pathname,
        undefined,
        body,
        this.#reject(method, url.pathname, problems, 404),
      );
    }
    const path = url.pathname.slice(PREFIX.length);
    const result = (checker ?? new OpenApiChecker()).check(method, path, url.searchParams, body);
    const operationId = result.operation?.operationId;
    if (result.operation === undefined || result.problems.length > 0) {
      const status = result.operation === undefined ? 404 : 422;
      return this.#reply(
        res,
        method,
        path,
        operationId,
        body,
        this.#reject(method, path, result.problems, status),
      );
    }
    const fault = this.#faults.get(operationId ?? "")?.shift();
    if (fault !== undefined && !fault.landed) {
      return this.#reply(res, method, path, operationId, body, {
        status: fault.status,
        body: { message: "injected fault" },
      });
    }
    const served =
      this.#authorize(operationId ?? "", req.headers.authorization ?? null) ??
      this.#route(
        operationId ?? "",
        result.operation.pathParams,
        url.searchParams,
        body,
        req.headers.accept ?? "",
      );
    const reply =
      fault === undefined ? served : { status: fault.status, body: { message: "injected fault" } };
    this.#reply(res, method, path, operationId, body, reply);
  }

  #reject(method: string, path: string, problems: string[], status: number): Reply {
    this.violations.push({ method, path, problems });
    return {
      status,
      body: { message: problems.join("; "), documentation_url: "https://docs.github.com/rest" },
    };
  }

  #reply(
    res: ServerResponse,
    method: string,
    path: string,
    operationId: string | undefined,
    body: unknown,
    reply: Reply,
  ): void {
    this.requests.push({ method, path, operationId, status: reply.status, body });
    send(res, reply);
  }

  #authorize(operationId: string, authorization: string | null): Reply | undefined {
    if (operationId.startsWith("apps/")) {
      const problem = jwtProblem(authorization, this.#options.appId, this.#options.privateKeyPem);
      return problem === undefined ? undefined : { status: 401, body: { message: problem } };
    }
    const token = installationToken(authorization);
    return token !== undefined && this.#tokens.has(token)
      ? undefined
      : { status: 401, body: { message: "Bad credentials" } };
  }

  #route(
    operationId: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: unknown,
    accept: string,
  ): Reply {
    if (operationId === "apps/get-authenticated") {
      return { status: 200, body: { id: this.#options.appId, slug: this.appSlug, name: this.appSlug } };
    }
    if (operationId === "apps/create-installation-access-token") {
      const token = `ghs_standin_${params.installation_id}_${this.#tokens.size}`;
      this.#tokens.add(token);
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      return {
        status: 201,
        body: { token, expires_at: expires, permissions: { issues: "write" }, repository_selection: "all" },
      };
    }
    return handleRepoOperation(this.state, this.botUser, { operationId, params, query, body, accept });
  }

  get botUser() {
    return { login: `${this.appSlug}[bot]`, id: 90_000, type: "Bot" as const };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, reply: Reply): void {
  if (typeof reply.body === "string") {
    res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8" }).end(reply.body);
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
  res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
}
