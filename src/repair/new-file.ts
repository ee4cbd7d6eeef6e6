import path from "node:path";

type SourceLanguage = "python" | "javascript";

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, SourceLanguage>> = {
  ".py": "python",
  ".pyi": "python",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".ts": "javascript",
  ".mts": "javascript",
  ".cts": "javascript",
  ".tsx": "javascript",
};

/** The repository's files, indexed for the new-file rule. */
export type RepoSource = {
  files: ReadonlySet<string>;
  /** Folder ("" for the root) → the source languages of the files directly in it. */
  languagesByFolder: ReadonlyMap<string, ReadonlySet<SourceLanguage>>;
};

export function indexRepoSource(files: readonly string[]): RepoSource {
  const languagesByFolder = new Map<string, Set<SourceLanguage>>();
  for (const file of files) {
    const language = languageOf(file);
    if (language === undefined) continue;
    const folder = folderOf(file);
    const known = languagesByFolder.get(folder) ?? new Set<SourceLanguage>();
    known.add(language);
    languagesByFolder.set(folder, known);
  }
  return { files: new Set(files.map((file) => file.toLowerCase())), languagesByFolder };
}

/**
 * Why a patch may not create `file` (normalized, repository-relative), or undefined when it may. A new
 * file must be ordinary source placed beside source of its language, away from the places a runtime
 * reads by itself: not at the root (the working directory is first on Python's sys.path and beside
 * package.json), and for Python only inside a package, where it cannot shadow a top-level module.
 * Test-like and infrastructure names are refused earlier, by the protected-path rules.
 */
export function newFileProblem(file: string, repo: RepoSource): string | undefined {
  if (repo.files.has(file.toLowerCase())) {
    return "the file exists in the repository; a patch may only edit it through the text it was shown";
  }
  const language = languageOf(file);
  if (language === undefined) {
    return `only source files may be created (${Object.keys(LANGUAGE_BY_EXTENSION).join(", ")})`;
  }
  const folder = folderOf(file);
  if (folder === "")
    return "a new file at the repository root could shadow a module for everything run there";
  if (!repo.languagesByFolder.get(folder)?.has(language)) {
    return `its folder ${folder}/ holds no ${language} source yet; new files go beside existing source`;
  }
  if (language === "python" && !repo.files.has(`${folder}/__init__.py`.toLowerCase())) {
    return `${folder}/ is not a Python package (no __init__.py): a module there could shadow another on sys.path`;
  }
  return undefined;
}

function languageOf(file: string): SourceLanguage | undefined {
  if (file.toLowerCase().endsWith(".d.ts")) return undefined;
  return LANGUAGE_BY_EXTENSION[path.posix.extname(file).toLowerCase()];
}

function folderOf(file: string): string {
  const folder = path.posix.dirname(file);
  return folder === "." ? "" : folder;
}
