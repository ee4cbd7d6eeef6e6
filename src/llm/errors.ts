import { AutofixError } from "../errors.ts";

/** The endpoint could not be reached or kept failing (connection errors, timeouts, 429/5xx) after retries. */
export class LlmUnavailableError extends AutofixError {
  constructor(message: string, options: { context: Record<string, unknown>; cause?: unknown }) {
    super("llm_unavailable", message, {
      hint: "Check that the endpoint in AUTOFIX_LLM_BASE_URL is up; AUTOFIX_LLM_MAX_RETRIES and AUTOFIX_LLM_TIMEOUT_MS bound the waiting.",
      ...options,
    });
  }
}

/** The endpoint refused the request (4xx other than 408/409/429): wrong key, unknown model, bad parameters. */
export class LlmRequestError extends AutofixError {
  readonly status: number | undefined;

  constructor(
    message: string,
    options: { status?: number; hint?: string; context: Record<string, unknown>; cause?: unknown },
  ) {
    super("llm_request_rejected", message, options);
    this.status = options.status;
  }
}

/** The endpoint answered 2xx with a body that is not a chat completion. */
export class LlmResponseError extends AutofixError {
  constructor(message: string, options: { context: Record<string, unknown>; cause?: unknown }) {
    super("llm_bad_response", message, {
      hint: "The endpoint does not look OpenAI-compatible (POST /chat/completions); check AUTOFIX_LLM_BASE_URL.",
      ...options,
    });
  }
}

/** The caller aborted the call (its AbortSignal fired). */
export class LlmCancelledError extends AutofixError {
  constructor(stage: string, cause?: unknown) {
    super("llm_cancelled", `The ${stage} model call was cancelled.`, { context: { stage }, cause });
  }
}

export type Ceiling = "tokens" | "dollars";

/** The run's ledger refused a call whose worst case would exceed a ceiling; the call was not made. */
export class BudgetExceededError extends AutofixError {
  readonly ceiling: Ceiling;

  constructor(context: {
    stage: string;
    ceiling: Ceiling;
    needed: number;
    remaining: number;
    limit: number;
  }) {
    const key = context.ceiling === "tokens" ? "limits.maxTokensPerRun" : "limits.maxDollarsPerRun";
    const show = (value: number) =>
      context.ceiling === "tokens"
        ? `${Math.ceil(value).toLocaleString("en-US")} tokens`
        : `$${value.toFixed(4)}`;
    super(
      "budget_exceeded",
      `The ${context.stage} model call could need up to ${show(context.needed)}, but only ${show(context.remaining)} of the run's ${show(context.limit)} remain (${key}); the call was not made.`,
      {
        hint: `Raise ${key} in .github/autofix.yml, or lower the sample counts and prompt budgets of the stages.`,
        context,
      },
    );
    this.ceiling = context.ceiling;
  }
}

/** Replay found no recorded reply (left) for a request. */
export class LlmReplayMissError extends AutofixError {
  constructor(message: string, context: Record<string, unknown>) {
    super("llm_replay_miss", message, {
      hint: "The run asked for something the recording does not hold: record again (AUTOFIX_LLM_RECORD) after changing prompts or budgets.",
      context,
    });
  }
}
