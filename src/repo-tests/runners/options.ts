import { shellQuote } from "../types.ts";

/** What a repository's own test command adds for its framework. */
export type RunnerOptions = {
  /**
   * Framework arguments besides files and reporter (`--require should --ui tdd`, `-p xdist`): put,
   * shell-quoted, into every command before our reporter and the selection, so ours win.
   */
  args?: readonly string[];
};

export function quotedArgs(options: RunnerOptions): string[] {
  return (options.args ?? []).map(shellQuote);
}
