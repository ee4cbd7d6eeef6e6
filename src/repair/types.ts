/** One SEARCH/REPLACE edit, as data. An empty `search` on a file that does not exist creates it. */
export type Edit = { path: string; search: string; replace: string };

/** Repository-relative path → file text. */
export type FileMap = ReadonlyMap<string, string>;

/** Why a block of model output could not be read as an edit. */
export type ParseProblem = {
  kind: "truncated" | "malformed" | "no_path" | "bad_path" | "no_edits";
  message: string;
  /** 0-based line in the model output where the problem was seen. */
  line: number;
};

export type ParsedCandidate = { edits: Edit[]; problems: ParseProblem[] };

export type EditFailureKind =
  | "not_found"
  | "ambiguous"
  | "missing_file"
  | "protected_path"
  | "bad_path"
  | "file_exists";

export type EditFailure = { index: number; path: string; kind: EditFailureKind; message: string };

/** The candidate as a whole was refused (nothing of it applied). */
export type CandidateRefusalKind =
  | "malformed"
  | "empty"
  | "edits_failed"
  | "no_change"
  | "syntax_error"
  | "protected_path";

export type AppliedEdit = { index: number; path: string; match: "exact" | "whitespace" | "new_file" };
