import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  DEFAULT_LIMITS,
  type PreparedImage,
  type PrepareSpec,
  type RunResult,
  type RunSpec,
  type Sandbox,
} from "../../src/sandbox/sandbox.ts";
import { fakePytest } from "./fake-pytest.ts";

export type FakeOutcome = "passed" | "failed" | "error" | "skipped" | "hang";
export type FakeVerdict = FakeOutcome | { outcome: FakeOutcome; message: string };

export interface FakeWorkspace {
  /** A file's text after the run's files were written over the prepared workspace. */
  read(file: string): string | undefined;
  /** Workspace paths the run wrote (a candidate's edits, a reproduction test), in order. */
  readonly written: readonly string[];
}

export type FakeRule =
  /** A test's outcome: the first rule matching its id with a defined verdict decides; else it passes. */
  | { test: string | RegExp; outcome: FakeVerdict | ((workspace: FakeWorkspace) => FakeVerdict | undefined) }
  /** A test file that fails to load (an import error…) when `loadError` returns a message. */
  | { file: string | RegExp; loadError: (workspace: FakeWorkspace, file: string) => string | undefined };

export type FakeResult = {
  id: string;
  file: string;
  outcome: Exclude<FakeOutcome, "hang">;
  message?: string;
};

/** How the fake plays one test framework: what a test file is, its test ids, its report. */
export interface FakeFramework {
  isTestFile(file: string): boolean;
  testsIn(file: string, text: string): string[];
  /** A file that failed to load is one result whose id is the file. */
  report(results: readonly FakeResult[], spec: RunSpec): Pick<RunResult, "exitCode" | "stdout" | "collected">;
}

export type FakeRun = {
  command: string;
  /** Test files the command ran. */
  testFiles: string[];
  written: string[];
  results: FakeResult[];
  timedOut: boolean;
};

/**
 * A FAKE Sandbox for unit tests of whole runs: it executes nothing. No container, no isolation, no
 * limits (memory, CPU, processes, disk and output are not enforced; a "hang" is reported as a
 * timeout at once, no time passes), no setup command, no network policy. `prepare` reads the
 * workspace's files into memory; `run` writes the spec's files over that copy, finds the test files
 * the command names (all of them when it names none), and decides each test's outcome from the
 * script — rules keyed by test id or file, looking at the workspace content (a candidate's edit, a
 * reproduction test) — then writes the outcomes as the framework's report (pytest's JUnit by
 * default), so the real runner parses them. The real adapter is DockerSandbox, tested in the docker tier.
 */
export class FakeSandbox implements Sandbox {
  readonly prepared: PrepareSpec[] = [];
  /** Every run, in order. */
  readonly runs: FakeRun[] = [];
  readonly #rules: readonly FakeRule[];
  readonly #framework: FakeFramework;
  readonly #images = new Map<string, ReadonlyMap<string, string>>();

  constructor(options: { rules?: readonly FakeRule[]; framework?: FakeFramework } = {}) {
    this.#rules = options.rules ?? [];
    this.#framework = options.framework ?? fakePytest;
  }

  async prepare(spec: PrepareSpec): Promise<PreparedImage> {
    this.prepared.push(spec);
    const image = `fake/${spec.repoKey}@${spec.commit}`;
    const cached = this.#images.has(image);
    if (!cached) this.#images.set(image, readTree(spec.workspaceDir));
    return {
      image,
      cached,
      setup: { ran: false, durationMs: 0, output: "(FakeSandbox: setup is not run)", network: "none" },
    };
  }

  async run(spec: RunSpec): Promise<RunResult> {
    const base = spec.workspaceDir === undefined ? this.#images.get(spec.image) : readTree(spec.workspaceDir);
    if (base === undefined) throw new Error(`FakeSandbox: image ${spec.image} was not prepared`);
    const files = new Map(base);
    const written: string[] = [];
    for (const file of spec.files ?? []) {
      if (path.posix.isAbsolute(file.path)) continue; // outside the workspace: the runner's own helpers
      files.set(
        file.path,
        typeof file.content === "string" ? file.content : Buffer.from(file.content).toString(),
      );
      written.push(file.path);
    }
    const workspace: FakeWorkspace = { read: (file) => files.get(file), written };
    const command = typeof spec.command === "string" ? spec.command : spec.command.join(" ");
    const all = [...files.keys()].filter((file) => this.#framework.isTestFile(file)).sort();
    const named = all.filter((file) => command.includes(file));
    const testFiles = named.length > 0 ? named : all;
    const verdicts = testFiles.flatMap((file) => this.#judgeFile(file, files.get(file) ?? "", workspace));
    const timedOut = verdicts.some((verdict) => verdict.outcome === "hang");
    const results = verdicts.flatMap((verdict) =>
      verdict.outcome === "hang" ? [] : [{ ...verdict, outcome: verdict.outcome }],
    );
    this.runs.push({ command, testFiles, written, results, timedOut });
    const ended = { oomKilled: false, outputCapped: false, stderr: "", truncated: false };
    if (timedOut) {
      // Killed at the limit: the framework never wrote its report.
      const durationMs = spec.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
      return { ...ended, exitCode: 137, timedOut: true, durationMs, stdout: "", collected: {} };
    }
    return {
      ...ended,
      ...this.#framework.report(results, spec),
      timedOut: false,
      durationMs: 5 * results.length,
    };
  }

  async cleanupOrphans(): Promise<number> {
    return 0;
  }

  #judgeFile(
    file: string,
    text: string,
    workspace: FakeWorkspace,
  ): (Omit<FakeResult, "outcome"> & { outcome: FakeOutcome })[] {
    for (const rule of this.#rules) {
      if (!("file" in rule) || !matches(rule.file, file)) continue;
      const message = rule.loadError(workspace, file);
      if (message !== undefined) return [{ id: file, file, outcome: "error", message }];
    }
    return this.#framework.testsIn(file, text).map((id) => ({ id, file, ...this.#judgeTest(id, workspace) }));
  }

  #judgeTest(id: string, workspace: FakeWorkspace): { outcome: FakeOutcome; message?: string } {
    for (const rule of this.#rules) {
      if (!("test" in rule) || !matches(rule.test, id)) continue;
      const verdict = typeof rule.outcome === "function" ? rule.outcome(workspace) : rule.outcome;
      if (verdict === undefined) continue;
      return typeof verdict === "string" ? { outcome: verdict } : verdict;
    }
    return { outcome: "passed" };
  }
}

function matches(pattern: string | RegExp, value: string): boolean {
  return typeof pattern === "string" ? pattern === value : pattern.test(value);
}

/** Every regular file under `root` (but .git) as text, by its path relative to `root`. */
function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== ".git") walk(relative);
      else if (entry.isFile()) files.set(relative, readFileSync(path.join(root, relative), "utf8"));
    }
  };
  walk("");
  return files;
}
