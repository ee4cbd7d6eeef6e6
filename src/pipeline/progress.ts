import type { Progress, Stage } from "../contract/progress.ts";
import type { Ledger } from "../llm/ledger.ts";

export type StageFigures = Record<string, number | string>;

/** Progress events with the run's spending so far, for the CLI log and the App's status comment. */
export function progressReporter(ledger: Ledger, sink: ((progress: Progress) => void) | undefined) {
  return (stage: Stage, state: Progress["state"], figures: StageFigures = {}) => {
    if (!sink) return;
    const spent = ledger.report().spent;
    sink({ stage, state, figures, tokens: spent.tokens, dollars: spent.dollars });
  };
}
