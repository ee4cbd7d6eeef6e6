import { readFileSync } from "node:fs";
import path from "node:path";
import { fencedBlocks } from "../llm/extract.ts";
import type { FinishReason } from "../llm/llm.ts";
import type { Detection } from "../testing/detect.ts";

const EXAMPLE_MAX_LINES = 120;

/** Where the k-th sampled reproduction test goes: beside the example test, named so the framework finds it. */
export function reproductionPath(detection: Detection, example: string | undefined, k: number): string {
  const dir = example ? path.posix.dirname(example) : detection.language === "python" ? "tests" : "test";
  const prefix = dir === "." ? "" : `${dir}/`;
  if (detection.language === "python") return `${prefix}test_autofix_repro_${k}.py`;
  const ext = example ? (/(\.[cm]?[jt]sx?)$/.exec(example)?.[1] ?? ".js") : ".js";
  return `${prefix}autofix-repro-${k}.test${ext}`;
}

/** The existing test file shown as the style example: the most related one, else the first. */
export function exampleTest(
  root: string,
  related: readonly string[],
  all: readonly string[],
): { file: string; text: string } | undefined {
  const file = related[0] ?? all[0];
  if (file === undefined) return undefined;
  try {
    const lines = readFileSync(path.join(root, file), "utf8").split("\n");
    const clipped = lines.length > EXAMPLE_MAX_LINES;
    const text = lines.slice(0, EXAMPLE_MAX_LINES).join("\n");
    return { file, text: clipped ? `${text}\n# … (${lines.length - EXAMPLE_MAX_LINES} more lines)` : text };
  } catch {
    return undefined;
  }
}

export type ExtractedTest = { ok: true; text: string } | { ok: false; reason: string };

/** The test file in a model answer: its largest closed fenced block. */
export function extractTestFile(answer: string, finishReason: FinishReason | undefined): ExtractedTest {
  const blocks = fencedBlocks(answer);
  const closed = blocks.filter((block) => block.closed && block.content.trim() !== "");
  const best = closed.sort((a, b) => b.content.length - a.content.length)[0];
  if (best) return { ok: true, text: `${best.content.replace(/\s+$/, "")}\n` };
  if (finishReason === "length" || blocks.some((block) => !block.closed)) {
    return { ok: false, reason: "the answer was cut off before its test file ended" };
  }
  return { ok: false, reason: "the answer holds no fenced code block with a test file" };
}
