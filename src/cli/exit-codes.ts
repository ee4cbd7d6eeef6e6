import { isAutofixError } from "../errors.ts";

/** Exit codes shared by every subcommand (130/143: stopped by SIGINT/SIGTERM, as a shell reports it). */
export const EXIT = {
  ok: 0,
  error: 1,
  invalid: 2,
  abstained: 3,
  notBuilt: 64,
  interrupted: 130,
  terminated: 143,
} as const;

/** Errors in what the operator passed (options, paths, config), as opposed to failures while working. */
const INVALID_INPUT_CODES = new Set([
  "sandbox_bad_input",
  "workspace.repo_not_found",
  "workspace.commit_not_found",
  "workspace.cache_dir_invalid",
]);

export function exitCodeFor(error: unknown): number {
  if (!isAutofixError(error)) return EXIT.error;
  return error.code.startsWith("cli.") || INVALID_INPUT_CODES.has(error.code) ? EXIT.invalid : EXIT.error;
}
