import { randomUUID } from "node:crypto";
import OpenAI from "openai";
import { LlmCancelledError } from "./errors.ts";
import { type Completion, type CompletionRequest, DEFAULT_MAX_TOKENS, type Llm } from "./llm.ts";
import { type LlmLogger, silentLogger } from "./logger.ts";
import type { ModelFor } from "./model-choice.ts";
import { mapOpenAiError } from "./openai-errors.ts";
import { combineCompletions, parseChatResponse } from "./openai-response.ts";
import { Semaphore } from "./semaphore.ts";
import type { LlmSettings } from "./settings.ts";

/** Sent with every request so proxies, logs and the scripted model can tell the stages apart. */
export const STAGE_HEADER = "x-autofix-stage";
/** Internal: ties fetch attempts to one call; removed before the request leaves. */
const CALL_HEADER = "x-autofix-call";

export type OpenAiSettings = Pick<
  LlmSettings,
  "baseUrl" | "apiKey" | "concurrency" | "maxRetries" | "timeoutMs" | "samplesMode"
>;

export interface OpenAiLlmOptions {
  settings: OpenAiSettings;
  modelFor: ModelFor;
  logger?: LlmLogger;
  /** The fetch the SDK ends up calling (default: global fetch). */
  fetch?: typeof fetch;
}

/**
 * The real adapter: any OpenAI-compatible chat completions endpoint, through the openai SDK.
 * The SDK retries 408/409/429/5xx, timeouts and connection errors with backoff (honouring
 * retry-after-ms / retry-after); each attempt is bounded by the timeout, so no call can hang.
 */
export class OpenAiLlm implements Llm {
  readonly #client: OpenAI;
  readonly #settings: OpenAiSettings;
  readonly #modelFor: ModelFor;
  readonly #logger: LlmLogger;
  readonly #semaphore: Semaphore;
  readonly #attempts = new Map<string, number>();
  /** Models whose endpoint answered fewer choices than `n` asked: sampled by separate calls from then on. */
  readonly #ignoresN = new Set<string>();

  constructor(options: OpenAiLlmOptions) {
    this.#settings = options.settings;
    this.#modelFor = options.modelFor;
    this.#logger = options.logger ?? silentLogger;
    this.#semaphore = new Semaphore(options.settings.concurrency);
    this.#client = new OpenAI({
      baseURL: options.settings.baseUrl,
      apiKey: options.settings.apiKey ?? "unset",
      timeout: options.settings.timeoutMs,
      maxRetries: options.settings.maxRetries,
      fetch: this.#countingFetch(options.fetch ?? fetch),
      logLevel: "off",
    });
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    if (request.signal?.aborted) throw new LlmCancelledError(request.stage, request.signal.reason);
    const n = request.n ?? 1;
    const model = this.#modelFor(request.stage);
    const mode = this.#settings.samplesMode;
    const separate = n > 1 && (mode === "separate" || (mode === "auto" && this.#ignoresN.has(model)));
    // Siblings of a failed sample call are stopped rather than left running.
    const group = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, group.signal]) : group.signal;
    const call = (samples: number) => this.#call(request, model, samples, signal);
    try {
      if (separate) return combineCompletions(await Promise.all(Array.from({ length: n }, () => call(1))), n);
      const first = await call(n);
      const missing = n - first.texts.length;
      if (missing <= 0) return combineCompletions([first], n);
      this.#noteIgnoredN(request.stage, model, n, first.texts.length);
      const rest = await Promise.all(Array.from({ length: missing }, () => call(1)));
      return combineCompletions([first, ...rest], n);
    } catch (error) {
      group.abort();
      throw request.signal?.aborted ? new LlmCancelledError(request.stage, error) : error;
    }
  }

  async #call(
    request: CompletionRequest,
    model: string,
    n: number,
    signal: AbortSignal,
  ): Promise<Completion> {
    const release = await this.#semaphore.acquire(signal).catch((reason: unknown) => {
      throw new LlmCancelledError(request.stage, reason);
    });
    const callId = randomUUID();
    try {
      const body: unknown = await this.#client.chat.completions.create(
        {
          model,
          messages: request.messages,
          temperature: request.temperature ?? 0,
          max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
          ...(n > 1 ? { n } : {}),
        },
        { signal, headers: { [STAGE_HEADER]: request.stage, [CALL_HEADER]: callId } },
      );
      return parseChatResponse(body, {
        stage: request.stage,
        requestedModel: model,
        messages: request.messages,
        baseUrl: this.#settings.baseUrl,
      });
    } catch (error) {
      throw mapOpenAiError(error, {
        stage: request.stage,
        model,
        baseUrl: this.#settings.baseUrl,
        attempts: this.#attempts.get(callId) ?? 0,
        timeoutMs: this.#settings.timeoutMs,
        signal,
      });
    } finally {
      this.#attempts.delete(callId);
      release();
    }
  }

  #noteIgnoredN(stage: string, model: string, asked: number, got: number): void {
    if (this.#settings.samplesMode === "auto") {
      this.#ignoresN.add(model);
      this.#logger.info(
        { stage, model, asked, got },
        "model endpoint ignores n: sampling with separate calls from now on",
      );
    } else {
      this.#logger.warn(
        { stage, model, asked, got },
        "model endpoint returned fewer samples than n; topping up with separate calls (consider AUTOFIX_LLM_SAMPLES_MODE=separate)",
      );
    }
  }

  /** Counts attempts per call and logs retries; the SDK itself decides when to retry. */
  #countingFetch(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const headers = new Headers(init?.headers);
      const callId = headers.get(CALL_HEADER) ?? "";
      headers.delete(CALL_HEADER);
      const attempt = (this.#attempts.get(callId) ?? 0) + 1;
      this.#attempts.set(callId, attempt);
      const log = { stage: headers.get(STAGE_HEADER), attempt, url: String(input) };
      if (attempt > 1) this.#logger.info(log, "retrying model call");
      try {
        const response = await inner(input, { ...init, headers });
        if (!response.ok)
          this.#logger.warn({ ...log, status: response.status }, "model endpoint answered an error");
        return response;
      } catch (error) {
        if (!init?.signal?.aborted) {
          this.#logger.warn({ ...log, error: String(error) }, "model endpoint could not be reached");
        }
        throw error;
      }
    };
  }
}
