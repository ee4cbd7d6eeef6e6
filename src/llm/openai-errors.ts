import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { isAutofixError } from "../errors.ts";
import { LlmCancelledError, LlmRequestError, LlmResponseError, LlmUnavailableError } from "./errors.ts";

export interface CallContext {
  stage: string;
  model: string;
  baseUrl: string;
  attempts: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** Statuses the SDK retries; still failing after the retries means the endpoint is unavailable. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Whatever the SDK threw → one of our typed errors, naming the endpoint, the stage and the attempts. */
export function mapOpenAiError(error: unknown, call: CallContext): Error {
  if (call.signal?.aborted || error instanceof APIUserAbortError)
    return new LlmCancelledError(call.stage, error);
  if (isAutofixError(error)) return error;
  const where = `the model endpoint ${call.baseUrl}`;
  const tries = `${call.attempts} attempt${call.attempts === 1 ? "" : "s"}`;
  const context = { stage: call.stage, model: call.model, baseUrl: call.baseUrl, attempts: call.attempts };
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmUnavailableError(
      `The ${call.stage} call timed out: ${where} did not answer within ${call.timeoutMs} ms (${tries}).`,
      { context, cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    return new LlmUnavailableError(
      `The ${call.stage} call failed: ${where} could not be reached (${connectionCause(error)}; ${tries}).`,
      { context, cause: error },
    );
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const said = endpointMessage(error);
    if (isRetryableStatus(status)) {
      return new LlmUnavailableError(
        `The ${call.stage} call failed: ${where} kept answering HTTP ${status} (${said}; ${tries}).`,
        { context: { ...context, status }, cause: error },
      );
    }
    return new LlmRequestError(
      `The ${call.stage} call was rejected by ${where}: HTTP ${status}: ${said} (model ${call.model}).`,
      { status, hint: hintFor(status), context: { ...context, status }, cause: error },
    );
  }
  return new LlmResponseError(
    `The ${call.stage} call failed: ${where} sent an answer that could not be read (${error instanceof Error ? error.message : String(error)}).`,
    { context, cause: error },
  );
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) {
    return "The endpoint refused the key: check AUTOFIX_LLM_API_KEY (or OPENAI_API_KEY).";
  }
  if (status === 404) {
    return "Check the model name (AUTOFIX_LLM_MODEL, or models.* in .github/autofix.yml) and AUTOFIX_LLM_BASE_URL (it usually ends in /v1).";
  }
  return "If the endpoint does not accept several samples per request, set AUTOFIX_LLM_SAMPLES_MODE=separate.";
}

function endpointMessage(error: APIError): string {
  const body: unknown = error.error;
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") {
    return body.message;
  }
  return error.message.replace(/^\d{3}\s*/, "") || "no message";
}

/** The innermost system error code (ECONNREFUSED, ENOTFOUND…) or message. */
function connectionCause(error: unknown): string {
  let current: unknown = error;
  let best = "connection error";
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    if (current.message && current !== error) best = current.message;
    current = current.cause;
  }
  return best;
}
