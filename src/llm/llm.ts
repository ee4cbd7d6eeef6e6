/**
 * The one interface the pipeline uses to talk to a model. The real adapter speaks the OpenAI chat
 * completions protocol (any compatible endpoint); wrappers add metering, recording and replay.
 */
export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface CompletionRequest {
  /** Dotted stage tag, e.g. `localize.files`. Its first segment picks the model (`models.<stage>`). */
  stage: string;
  messages: ChatMessage[];
  /** Samples wanted (default 1). */
  n?: number;
  /** Default 0 (greedy). */
  temperature?: number;
  /** Completion tokens allowed per sample. */
  maxTokens?: number;
  signal?: AbortSignal;
}

export type FinishReason = "stop" | "length" | "content_filter" | "other";

/**
 * Completion tokens per sample when a caller sets no `maxTokens`. Every request sent carries a
 * limit, so the ledger's worst case is a real bound, not a guess.
 */
export const DEFAULT_MAX_TOKENS = 4_096;

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion {
  model: string;
  /** One text per sample, `n` of them. */
  texts: string[];
  finishReasons: FinishReason[];
  usage: Usage;
}

export interface Llm {
  complete(request: CompletionRequest): Promise<Completion>;
}

/** The model-choosing part of a stage tag: `localize.files` → `localize`. */
export function stageFamily(stage: string): string {
  return stage.split(".")[0] ?? stage;
}
