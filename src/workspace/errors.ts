import { AutofixError } from "../errors.ts";

export type WorkspaceErrorCode =
  | "workspace.repo_not_found"
  | "workspace.commit_not_found"
  | "workspace.cache_dir_invalid"
  | "workspace.cache_limit_invalid"
  | "workspace.git_failed";

export class WorkspaceError extends AutofixError {
  declare readonly code: WorkspaceErrorCode;

  constructor(
    code: WorkspaceErrorCode,
    message: string,
    options: { hint?: string; context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
