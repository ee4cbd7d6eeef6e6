import type { WeightedTerm } from "../code-index/search-index.ts";
import { codeTerms, identifierTerms } from "../code-index/tokenize.ts";
import { sanitizeMarkdown } from "../text/sanitize-text.ts";
import { writtenCompoundNames } from "./file-names.ts";
import { PROSE_STOP_WORDS } from "./prose-stop-words.ts";

/** A stack-trace frame or a `file:line` / GitHub-blob reference found in an issue. */
export interface Frame {
  path: string;
  line: number | undefined;
  functionName: string | undefined;
}

/** What an issue says that retrieval can use. */
export interface IssueSignals {
  /** BM25 query terms with weights (prose 1; code, error messages and frame functions more). */
  terms: WeightedTerm[];
  /** In the order they appear; in a Python traceback the last frame is where the error was raised. */
  frames: Frame[];
  /** Things that look like file paths (`requests/sessions.py`, `utils.js`). */
  paths: string[];
  /** Dotted names (`xarray.core.variable.Variable`, `Matrix.col_insert`). */
  dottedNames: string[];
  /** Identifiers written as code (in backticks, code blocks, calls, snake_case, camelCase). */
  identifiers: string[];
  /** Several-word messages quoted in the issue (inline code, error lines), as a file would spell them. */
  phrases: string[];
  /** Compound names written anywhere in the issue, canonical (`some-rule-name` for `someRuleName` too). */
  compoundNames: string[];
}

const SOURCE_EXT =
  "py|pyi|pyx|js|mjs|cjs|jsx|ts|tsx|mts|cts|go|java|kt|rs|rb|php|c|h|cc|cpp|hpp|cs|swift|scala";
const TEXT_EXT = "rst|md|txt|cfg|toml|ini|json|ya?ml|html|css|scss|jinja|j2|tmpl";

const PYTHON_FRAME = /File "([^"\n]+)", line (\d+)(?:, in ([\w<>.]+))?/g;
const JS_FRAME =
  /\bat (?:(?:new |async )?([\w$.<>[\] ]+?) \()?((?:[A-Za-z]:)?[^\s():]+\.(?:js|mjs|cjs|jsx|ts|tsx)):(\d+)(?::\d+)?\)?/g;
const GITHUB_BLOB = /github\.com\/[\w.-]+\/[\w.-]+\/(?:blob|tree)\/[^/\s]+\/([^\s#?)]+)(?:#L(\d+))?/g;
const FILE_LINE = new RegExp(`((?:[\\w.-]+/)*[\\w.-]+\\.(?:${SOURCE_EXT})):(\\d+)`, "g");
const PATH = new RegExp(
  `(?<![\\w/.-])((?:[\\w.-]+/)*[\\w-][\\w.-]*\\.(?:${SOURCE_EXT}|${TEXT_EXT}))(?![\\w-])`,
  "g",
);
const DOTTED = /(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?![\w(]*\.\w)/g;
/** A code span: opened and closed by the same number of backticks (``alias of ...`` is one span). */
const INLINE_CODE = /(?<!`)(`+)(?!`)([^`\n]|[^`\n][^\n]*?[^`\n])\1(?!`)/g;
const FENCED = /```[^\n]*\n([\s\S]*?)```/g;
const ERROR_LINE = /^\s*([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt))\b:?(.*)$/gm;
const FILE_OR_HOST = new RegExp(`\\.(?:${SOURCE_EXT}|${TEXT_EXT}|com|org|io|net)$`);
const CALL = /\b([A-Za-z_]\w*)\(/g;
const CODE_LIKE = /^(?:[a-z0-9]+_[a-z0-9_]+|_\w+|[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*)$/;

/**
 * Weights of the evidence behind a term, summed per term: a prose word counts 1 (repeats add `proseRepeat`
 * each, up to `proseMax`); being written as code, in an error line or as a frame's function adds more.
 */
export const TERM_WEIGHTS = {
  prose: 1,
  proseRepeat: 0.25,
  proseMax: 2,
  code: 1,
  codeLike: 1,
  error: 1,
  frameFunction: 2,
  /** Added for each term of the first line (the issue's title says what is wrong in the fewest words). */
  title: 1,
  /** Leave out environment reports (versions, OS, `pip freeze`) before counting terms. */
  dropEnvironment: true,
  /** Leave out issue-template boilerplate: section headings in plain words, ticked checklists, `_No response_`. */
  dropTemplate: true,
  /** Leave out shell commands (`$ make html`, `git clone …`, `pip install …`): how to reproduce, not where. */
  dropShell: true,
  /** Leave out what the rendered issue does not show (HTML comments: template instructions). */
  dropHidden: true,
  /** Leave English function words (`would`, `which`, `some`) out of the prose terms. */
  dropProseStopWords: true,
};

export type TermWeights = typeof TERM_WEIGHTS;

const URL = /https?:\/\/\S+/g;

/**
 * Environment reports say which Python, OS and library versions the reporter ran, not where the bug is:
 * `- OS: Linux`, `Python version: 3.8`, `numpy==1.21.0`, `xarray: 0.16.0`, `INSTALLED VERSIONS` dumps.
 */
const VERSION_LINE = /^[\s>*-]*(?:\*\*)?[\w .()/-]{1,40}?(?:\*\*)?\s*(?:[:=]=?|==)\s*v?\d[\w.+-]*(?:\s.*)?$/;
const ENVIRONMENT_KEY =
  /^[\s>*-]*(?:\*\*)?(?:os|platform|python(?: version)?|[\w-]+ version|versions?|browser|extensions?|sphinx extensions|extra tools|environment|installed versions|system|machine|processor|byteorder|lc_all|lang|locale)(?:\*\*)?\s*:/i;

/** `key: None` lines of version dumps (`pydap: None`, `nc_time_axis: None`). */
const NONE_LINE = /^[\s>*-]*[\w.-]{1,40}\s*:\s*None\s*$/;

/** A heading line: markdown `### OS` or a line that is only bold text (`**Environment info**`). */
const HEADING = /^\s{0,3}(?:#{1,6}\s+(.+?)\s*#*|\*\*([^*\n]+?):?\*\*:?)\s*$/;
/** Headings of issue-form sections that report the environment (the whole section goes). */
const ENVIRONMENT_HEADING =
  /^(?:os|platform|python(?: version)?|[\w-]+ versions?|versions?|environment(?: info(?:rmation)?)?|installed versions|system(?: info(?:rmation)?)?|(?:[\w-]+ )?extensions|extra tools|browser|output of .*versions.*)$/i;

export function withoutEnvironmentReport(text: string): string {
  let inEnvironment = false;
  const kept: string[] = [];
  for (const line of text.split("\n")) {
    const heading = HEADING.exec(line);
    if (heading) inEnvironment = ENVIRONMENT_HEADING.test((heading[1] ?? heading[2] ?? "").trim());
    if (inEnvironment || VERSION_LINE.test(line) || ENVIRONMENT_KEY.test(line) || NONE_LINE.test(line))
      continue;
    kept.push(line);
  }
  return kept.join("\n");
}

const CHECKLIST_LINE = /^\s*[-*] \[[ xX]\]/;
const PLACEHOLDER_LINE = /^\s*_No response_\s*$/i;
/** A heading in plain words (`### How to Reproduce`, `**Expected behavior**`); one naming code is kept. */
const PLAIN_HEADING = /^\s{0,3}(?:#{1,6}\s+[A-Za-z ,'?!/-]+|\*\*[A-Za-z ,'?!/-]+:?\*\*:?)\s*$/;

const SHELL_LINE =
  /^\s*(?:\$\s|(?:git|cd|pip3?|conda|make|mkdir|ls|cat|echo|cp|mv|rm|docker|npm|npx|yarn|pnpm|tox|curl|wget|source|export|virtualenv)\s)/;

export function withoutShellCommands(text: string): string {
  return text
    .split("\n")
    .filter((line) => !SHELL_LINE.test(line))
    .join("\n");
}

export function withoutTemplateBoilerplate(text: string): string {
  const [title = "", ...body] = text.split("\n");
  const kept = body.filter(
    (line) => !CHECKLIST_LINE.test(line) && !PLACEHOLDER_LINE.test(line) && !PLAIN_HEADING.test(line),
  );
  return [title, ...kept].join("\n");
}

export function issueSignals(issueText: string, weighting: TermWeights = TERM_WEIGHTS): IssueSignals {
  const normalized = issueText.replace(/\r\n?/g, "\n");
  const rawText = weighting.dropHidden ? sanitizeMarkdown(normalized).text : normalized;
  const frames = extractFrames(rawText);
  const withoutEnvironment = weighting.dropEnvironment ? withoutEnvironmentReport(rawText) : rawText;
  const withoutTemplate = weighting.dropTemplate
    ? withoutTemplateBoilerplate(withoutEnvironment)
    : withoutEnvironment;
  const text = weighting.dropShell ? withoutShellCommands(withoutTemplate) : withoutTemplate;
  const inlineCode = [...text.matchAll(INLINE_CODE)].map((m) => m[2] ?? "");
  const code = [...text.matchAll(FENCED)].map((m) => m[1] ?? "").concat(inlineCode);
  const codeText = code.join("\n");
  const errors = [...text.matchAll(ERROR_LINE)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
  const identifiers = new Set<string>();
  for (const match of codeText.matchAll(/[A-Za-z_]\w*/g)) identifiers.add(match[0]);
  for (const match of text.matchAll(CALL)) identifiers.add(match[1] ?? "");
  for (const match of text.matchAll(/[A-Za-z_]\w*/g)) if (CODE_LIKE.test(match[0])) identifiers.add(match[0]);
  identifiers.delete("");

  const weights = new Map<string, number>();
  const add = (terms: Iterable<string>, weight: number) => {
    for (const term of terms) weights.set(term, (weights.get(term) ?? 0) + weight);
  };
  const prose = text
    .replace(PYTHON_FRAME, (_, _path, line, fn) => `line ${line} in ${fn ?? ""}`)
    .replace(URL, " ");
  const proseCounts = new Map<string, number>();
  for (const term of codeTerms(prose)) proseCounts.set(term, (proseCounts.get(term) ?? 0) + 1);
  const isStopWord = (term: string) => weighting.dropProseStopWords && PROSE_STOP_WORDS.has(term);
  for (const [term, count] of proseCounts) {
    if (isStopWord(term)) continue;
    weights.set(term, Math.min(weighting.prose + weighting.proseRepeat * (count - 1), weighting.proseMax));
  }
  add(new Set(codeTerms(codeText.replace(PYTHON_FRAME, " ").replace(URL, " "))), weighting.code);
  add(
    new Set([...identifiers].filter((id) => CODE_LIKE.test(id)).flatMap((id) => identifierTerms(id))),
    weighting.codeLike,
  );
  add(new Set(codeTerms(errors.join("\n"))), weighting.error);
  add(
    new Set(frames.flatMap((frame) => (frame.functionName ? codeTerms(frame.functionName) : []))),
    weighting.frameFunction,
  );
  const titleTerms = [...new Set(codeTerms(text.trimStart().split("\n", 1)[0] ?? ""))].filter(
    (term) => !isStopWord(term),
  );
  if (weighting.title > 0) add(titleTerms, weighting.title);

  return {
    terms: [...weights].map(([term, weight]) => ({ term, weight })),
    frames,
    paths: unique([...text.matchAll(PATH)].map((m) => m[1] ?? "").filter((path) => !/^\d/.test(path))),
    dottedNames: withAliasesExpanded(
      unique([...text.matchAll(DOTTED)].map((m) => m[1] ?? "").filter((name) => !FILE_OR_HOST.test(name))),
      importAliases(text),
    ),
    identifiers: [...identifiers],
    phrases: quotedPhrases(inlineCode, errors),
    compoundNames: writtenCompoundNames(prose),
  };
}

/** Values that vary between runs (quoted names, numbers, `...`) split a message into its fixed parts. */
const VARIABLE_PART = /'[^'\n]*'|"[^"\n]*"|\.\.\.|…|\b\d[\w.]*|[<>{}()[\]]/;
const PHRASE_MIN_CHARS = 10;

/**
 * The fixed parts, of two words and ten characters at least, of inline code with a space in it and of
 * error messages: `alias of ...` → `alias of`; `KeyError: 'x' not in index` → `not in index`.
 */
function quotedPhrases(inlineCode: readonly string[], errors: readonly string[]): string[] {
  const sources = [
    ...inlineCode.filter((code) => code.includes(" ")),
    ...errors.map((line) => line.replace(/^\S+\s*/, "")),
  ];
  return unique(
    sources
      .flatMap((source) => source.split(VARIABLE_PART))
      .map((part) => part.trim().replace(/[\s:;,.]+$/, ""))
      .filter((part) => part.length >= PHRASE_MIN_CHARS && /\w+\s+\w+/.test(part)),
  );
}

export function extractFrames(text: string): Frame[] {
  const found: { index: number; frame: Frame }[] = [];
  const push = (
    index: number,
    path: string | undefined,
    line: string | undefined,
    fn: string | undefined,
  ) => {
    if (!path) return;
    found.push({
      index,
      frame: {
        path: path.replace(/\\/g, "/"),
        line: line ? Number(line) : undefined,
        functionName: fn?.trim() || undefined,
      },
    });
  };
  for (const m of text.matchAll(PYTHON_FRAME)) push(m.index, m[1], m[2], m[3]);
  for (const m of text.matchAll(JS_FRAME)) push(m.index, m[2], m[3], m[1]);
  for (const m of text.matchAll(GITHUB_BLOB)) push(m.index, m[1], m[2], undefined);
  const covered = new Set(found.map((f) => `${f.frame.path}:${f.frame.line}`));
  for (const m of text.matchAll(FILE_LINE)) {
    if (!covered.has(`${m[1]}:${m[2]}`) && !found.some((f) => f.frame.path.endsWith(m[1] ?? "\0")))
      push(m.index, m[1], m[2], undefined);
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.frame);
}

const IMPORT_AS = /\bimport\s+([A-Za-z_][\w.]*)\s+as\s+([A-Za-z_]\w*)/g;

/** `import xarray as xr` → `xr` stands for `xarray`. */
function importAliases(text: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const match of text.matchAll(IMPORT_AS)) {
    if (match[1] && match[2] && match[1] !== match[2]) aliases.set(match[2], match[1]);
  }
  return aliases;
}

/** `xr.where` is also `xarray.where` when the issue imports `xarray as xr`. */
function withAliasesExpanded(names: string[], aliases: ReadonlyMap<string, string>): string[] {
  const expanded = names.flatMap((name) => {
    const dot = name.indexOf(".");
    const target = aliases.get(name.slice(0, dot));
    return target ? [name, `${target}${name.slice(dot)}`] : [name];
  });
  return unique(expanded);
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value.length > 0))];
}
