import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { CorpusEntry } from "./corpus.ts";
import { mochaOwnPlan, parseMochaOwn } from "./own-mocha.ts";
import { parsePytestOwn, pytestOwnPlan } from "./own-pytest.ts";
import type { SideResult } from "./types.ts";

/** The repository's own command with its framework's own reporter, in the same prepared image. */
export async function runOwnSide(
  sandbox: Sandbox,
  image: string,
  entry: CorpusEntry,
  timeoutMs: number,
): Promise<SideResult> {
  const mocha = entry.framework === "mocha";
  const plan = mocha ? mochaOwnPlan(entry.command) : pytestOwnPlan(entry.command);
  const run = await sandbox.run({
    image,
    command: plan.command,
    files: plan.files,
    collect: plan.collect,
    // pytest runs twice (collect, then the run) in this one container.
    limits: { timeoutMs: mocha ? timeoutMs : 2 * timeoutMs, outputBytes: 16 * 1024 ** 2 },
  });
  const parsed = mocha ? parseMochaOwn(run.collected) : parsePytestOwn(run.collected);
  const cause = parsed.counts === null ? firstError(run.stderr) : null;
  const result = cause === null ? parsed : { ...parsed, problem: `${parsed.problem ?? ""}: ${cause}` };
  if (!run.timedOut && !run.oomKilled) return result;
  const killed = run.timedOut ? "timed out" : "ran out of memory";
  return { ...result, problem: [`the own command ${killed}`, result.problem].filter(Boolean).join("; ") };
}

/** The first line of stderr that names an error (`TypeError: …`), for a run that printed no report. */
export function firstError(stderr: string): string | null {
  const line = stderr.split("\n").find((text) => /\b\w*Error\b:/.test(text));
  return line === undefined ? null : line.trim().slice(0, 200);
}
