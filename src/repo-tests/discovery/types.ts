import type { Language } from "../discover.ts";
import type { Framework } from "../types.ts";

/**
 * The tests a repository runs, read from its own configuration (package.json `scripts.test` and what
 * it calls, `.mocharc.*`, `test/mocha.opts`, jest/vitest config, pytest `testpaths`/`python_files`),
 * with file-name heuristics only when nothing is configured.
 */
export type TestDiscovery = {
  framework: Framework;
  language: Language;
  /**
   * Test files the repository's own configuration runs, repository-relative: in the order its
   * command names them (mocha, node --test, tape: spec by spec), else sorted.
   */
  files: string[];
  /** Where `files` came from, for reports: "package.json scripts.test: mocha tests/lib --recursive". */
  source: string;
  /** True when nothing was configured and file-name conventions chose the files. */
  heuristic: boolean;
  /** Framework arguments the repo's own command passes besides files and reporter (`--require x`, `--ui tdd`). */
  frameworkArgs: string[];
  /**
   * What a whole-suite run names on the command line: the repository's own paths (`pytest tests`
   * from tox.ini), or null when the framework finds the suite from its own configuration.
   */
  wholeSuite?: string[] | null;
  /** Whether a path would be one of this repository's tests (also for files that do not exist yet). */
  isTest: (path: string) => boolean;
};
