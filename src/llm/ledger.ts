import { BudgetExceededError } from "./errors.ts";
import type { Usage } from "./llm.ts";
import { DEFAULT_PRICES, dollarsFor, type PriceTable, priceFor } from "./prices.ts";

export interface LedgerLimits {
  /** limits.maxTokensPerRun: prompt + completion tokens. */
  maxTokens: number;
  /** limits.maxDollarsPerRun. */
  maxDollars: number;
}

export interface StageRow {
  stage: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  dollars: number;
}

export interface LedgerReport {
  limits: LedgerLimits;
  spent: { promptTokens: number; completionTokens: number; tokens: number; dollars: number };
  /** Reserved by calls still in flight. */
  reserved: { tokens: number; dollars: number };
  stages: StageRow[];
  /** Calls refused because their worst case would have crossed a ceiling. */
  refused: number;
  /** Replies booked at their reservation because the endpoint returned more (one line each). */
  notes: string[];
}

/** A worst case held for one call in flight. */
export interface Reservation {
  readonly stage: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly tokens: number;
  readonly dollars: number;
}

export interface ReserveRequest {
  stage: string;
  model: string;
  promptTokens: number;
  /** Completion tokens the call may produce over all its samples (maxTokens × n). */
  maxCompletionTokens: number;
}

/**
 * The run's spending: a call first reserves its worst case and is refused (never made) when that
 * could cross a ceiling; afterwards it settles what the endpoint reported and the rest is released.
 * Reserve and settle are synchronous, so concurrent calls cannot both take the last of the budget.
 */
export class Ledger {
  readonly #limits: LedgerLimits;
  readonly #prices: PriceTable;
  readonly #stages = new Map<string, StageRow>();
  readonly #spent = { promptTokens: 0, completionTokens: 0, dollars: 0 };
  readonly #reserved = { tokens: 0, dollars: 0 };
  #refused = 0;
  readonly #notes: string[] = [];

  constructor(limits: LedgerLimits, prices: PriceTable = DEFAULT_PRICES) {
    this.#limits = { ...limits };
    this.#prices = prices;
  }

  /** Hold the call's worst case, or throw BudgetExceededError (and count the refusal). */
  reserve(request: ReserveRequest): Reservation {
    const usage = { promptTokens: request.promptTokens, completionTokens: request.maxCompletionTokens };
    const tokens = usage.promptTokens + usage.completionTokens;
    const dollars = dollarsFor(priceFor(this.#prices, request.model), usage);
    const remainingTokens = this.#limits.maxTokens - this.#spentTokens() - this.#reserved.tokens;
    const remainingDollars = this.#limits.maxDollars - this.#spent.dollars - this.#reserved.dollars;
    const refuse = (ceiling: "tokens" | "dollars", needed: number, remaining: number, limit: number) => {
      this.#refused++;
      return new BudgetExceededError({
        stage: request.stage,
        ceiling,
        needed,
        remaining: Math.max(0, remaining),
        limit,
      });
    };
    if (tokens > remainingTokens) throw refuse("tokens", tokens, remainingTokens, this.#limits.maxTokens);
    if (dollars > remainingDollars)
      throw refuse("dollars", dollars, remainingDollars, this.#limits.maxDollars);
    this.#reserved.tokens += tokens;
    this.#reserved.dollars += dollars;
    return {
      stage: request.stage,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      tokens,
      dollars,
    };
  }

  /**
   * Replace the reservation by what the call really used (priced for the model that answered), but
   * never by more than was reserved: an endpoint that returns or reports more than the reservation
   * is booked at the reservation and noted, so no reply can carry the run over a ceiling.
   * Returns the usage booked.
   */
  settle(reservation: Reservation, model: string, reported: Usage, cutSamples = 0): Usage {
    this.release(reservation);
    const usage = withinReservation(reported, reservation);
    const over = reported.promptTokens + reported.completionTokens - reservation.tokens;
    if (over > 0) {
      this.#notes.push(
        `${reservation.stage}: the endpoint returned ${over.toLocaleString("en-US")} tokens over the reservation; cut (${reservation.tokens.toLocaleString("en-US")} reserved)`,
      );
    } else if (cutSamples > 0) {
      this.#notes.push(`${reservation.stage}: ${cutSamples} sample(s) longer than max_tokens; cut`);
    }
    const dollars = Math.min(dollarsFor(priceFor(this.#prices, model), usage), reservation.dollars);
    this.#spent.promptTokens += usage.promptTokens;
    this.#spent.completionTokens += usage.completionTokens;
    this.#spent.dollars += dollars;
    const row = this.#stages.get(reservation.stage) ?? {
      stage: reservation.stage,
      calls: 0,
      promptTokens: 0,
      completionTokens: 0,
      dollars: 0,
    };
    row.calls++;
    row.promptTokens += usage.promptTokens;
    row.completionTokens += usage.completionTokens;
    row.dollars += dollars;
    this.#stages.set(reservation.stage, row);
    return usage;
  }

  /** Give a reservation back unused (the call failed before producing anything we can count). */
  release(reservation: Reservation): void {
    this.#reserved.tokens = Math.max(0, this.#reserved.tokens - reservation.tokens);
    this.#reserved.dollars = Math.max(0, this.#reserved.dollars - reservation.dollars);
  }

  report(): LedgerReport {
    return {
      limits: { ...this.#limits },
      spent: { ...this.#spent, tokens: this.#spentTokens() },
      reserved: { ...this.#reserved },
      stages: [...this.#stages.values()].map((row) => ({ ...row })),
      refused: this.#refused,
      notes: [...this.#notes],
    };
  }

  #spentTokens(): number {
    return this.#spent.promptTokens + this.#spent.completionTokens;
  }
}

/** The completion first (what the caller reads), then the prompt, within the reserved total. */
function withinReservation(usage: Usage, reservation: Reservation): Usage {
  if (usage.promptTokens + usage.completionTokens <= reservation.tokens) return usage;
  const completionTokens = Math.min(usage.completionTokens, reservation.completionTokens);
  return {
    promptTokens: Math.min(usage.promptTokens, reservation.tokens - completionTokens),
    completionTokens,
  };
}
