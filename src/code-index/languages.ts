import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Language, Parser, Query } from "web-tree-sitter";
import { z } from "zod";
import { AutofixError } from "../errors.ts";

/**
 * Per-language knowledge lives in `localization/<lang>/`: `language.json` (extensions → WASM grammar),
 * `elements.scm` (which nodes are classes, functions, methods, variables) and `skeleton.scm` (what a
 * skeleton elides or shortens). Adding a language is adding such a folder.
 */
export const DEFAULT_LOCALIZATION_DIR = fileURLToPath(new URL("../../localization", import.meta.url));

const manifestSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_-]+$/),
  grammars: z.record(z.string().regex(/^\.[A-Za-z0-9.]+$/), z.string().min(1)),
});

export interface LanguageSpec {
  name: string;
  /** Extension (with dot, lower case) → grammar module path, resolved from node_modules. */
  grammars: Record<string, string>;
  elementsQuery: string;
  skeletonQuery: string;
}

export interface LoadedGrammar {
  spec: LanguageSpec;
  parser: Parser;
  query: Query;
}

export function readLanguageSpecs(dir: string = DEFAULT_LOCALIZATION_DIR): LanguageSpec[] {
  const specs: LanguageSpec[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const manifestPath = join(dir, entry.name, "language.json");
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(manifestPath, "utf8")));
    if (!parsed.success) {
      throw new AutofixError(
        "localization.bad_language",
        `${manifestPath} is not a valid language manifest.`,
        {
          hint: 'Expected {"name": "...", "grammars": {".ext": "package/grammar.wasm"}}.',
          context: { problems: parsed.error.issues.map((issue) => issue.message) },
        },
      );
    }
    const read = (file: string) => {
      const path = join(dir, entry.name, file);
      return existsSync(path) ? readFileSync(path, "utf8") : "";
    };
    const grammars = Object.fromEntries(
      Object.entries(parsed.data.grammars).map(([ext, wasm]) => [ext.toLowerCase(), wasm]),
    );
    specs.push({
      name: parsed.data.name,
      grammars,
      elementsQuery: read("elements.scm"),
      skeletonQuery: read("skeleton.scm"),
    });
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}

/** Changes whenever a query or manifest changes: part of every parse-cache key. */
export function specsFingerprint(specs: readonly LanguageSpec[]): string {
  const hash = createHash("sha256");
  for (const spec of specs) hash.update(JSON.stringify(spec));
  return hash.digest("hex").slice(0, 16);
}

let runtimeReady: Promise<void> | undefined;
const requireFromHere = createRequire(import.meta.url);

/** Maps file extensions to specs and loads each WASM grammar once, on first use. */
export class LanguageRegistry {
  readonly specs: readonly LanguageSpec[];
  readonly fingerprint: string;
  private readonly byExtension = new Map<string, LanguageSpec>();
  private readonly loaded = new Map<string, Promise<LoadedGrammar>>();

  constructor(specs: readonly LanguageSpec[] = readLanguageSpecs()) {
    this.specs = specs;
    this.fingerprint = specsFingerprint(specs);
    for (const spec of specs) for (const ext of Object.keys(spec.grammars)) this.byExtension.set(ext, spec);
  }

  languageOf(path: string): string | undefined {
    return this.byExtension.get(extname(path).toLowerCase())?.name;
  }

  async grammarFor(path: string): Promise<LoadedGrammar | undefined> {
    const ext = extname(path).toLowerCase();
    const spec = this.byExtension.get(ext);
    const wasm = spec?.grammars[ext];
    if (!spec || !wasm) return undefined;
    let grammar = this.loaded.get(wasm);
    if (!grammar) {
      grammar = loadGrammar(spec, wasm);
      this.loaded.set(wasm, grammar);
    }
    return grammar;
  }
}

async function loadGrammar(spec: LanguageSpec, wasm: string): Promise<LoadedGrammar> {
  runtimeReady ??= Parser.init();
  await runtimeReady;
  const language = await Language.load(requireFromHere.resolve(wasm));
  const parser = new Parser();
  parser.setLanguage(language);
  try {
    return { spec, parser, query: new Query(language, `${spec.elementsQuery}\n${spec.skeletonQuery}`) };
  } catch (error) {
    throw new AutofixError(
      "localization.bad_query",
      `The queries of ${spec.name} do not compile for ${wasm}.`,
      {
        hint: `Fix localization/${spec.name}/*.scm; the message says where.`,
        context: { language: spec.name, grammar: wasm },
        cause: error,
      },
    );
  }
}
