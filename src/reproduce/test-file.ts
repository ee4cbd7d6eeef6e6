import path from "node:path";
import { MAX_SOURCE_BYTES, readRepoFile } from "../config/repo-file.ts";
import { fencedBlocks } from "../llm/extract.ts";
import type { FinishReason } from "../llm/llm.ts";
import type { Detection } from "../repo-tests/detect.ts";

const EXAMPLE_MAX_LINES = 120;

/**
 * Where the k-th sampled reproduction test goes: beside the example test (the repository's test most
 * related to the localized code), named in the example's style, under a name the repository's own
 * test configuration would run (`detection.isTest`) and that no file has yet.
 */
export function reproductionPath(
  detection: Pick<Detection, "language" | "isTest" | "testFiles">,
  example: string | undefined,
  k: number,
): string {
  const dir = example ? path.posix.dirname(example) : detection.language === "python" ? "tests" : "test";
  const prefix = dir === "." ? "" : `${dir}/`;
  const names = detection.language === "python" ? pythonNames(example, k) : jsNames(example, k);
  const paths = names.map((name) => `${prefix}${name}`);
  const taken = new Set(detection.testFiles);
  return (
    paths.find((file) => detection.isTest(file) && !taken.has(file)) ?? paths[0] ?? `${prefix}${names[0]}`
  );
}

function pythonNames(example: string | undefined, k: number): string[] {
  const stem = `autofix_repro_${k}`;
  const base = example ? path.posix.basename(example) : "";
  const styled = /^([a-z]+_)/.exec(base)?.[1];
  const suffixed = /(_[a-z]+)\.py$/.exec(base)?.[1];
  return [
    ...(base.startsWith("test_") || !base ? [`test_${stem}.py`] : []),
    ...(base.endsWith("_test.py") ? [`${stem}_test.py`] : []),
    `test_${stem}.py`,
    `${stem}_test.py`,
    ...(styled ? [`${styled}${stem}.py`] : []),
    ...(suffixed ? [`${stem}${suffixed}.py`] : []),
    `${stem}.py`,
  ];
}

function jsNames(example: string | undefined, k: number): string[] {
  const stem = `autofix-repro-${k}`;
  const ext = example ? (/(\.[cm]?[jt]sx?)$/.exec(example)?.[1] ?? ".js") : ".js";
  const marker = example ? /[._-](test|spec)\.[cm]?[jt]sx?$/.exec(example)?.[1] : "test";
  return [
    ...(marker ? [`${stem}.${marker}${ext}`] : [`${stem}${ext}`]),
    `${stem}.test${ext}`,
    `${stem}.spec${ext}`,
    `${stem}${ext}`,
    `test-${stem}${ext}`,
  ];
}

/** The existing test file shown as the style example: the most related one, else the first. */
export function exampleTest(
  root: string,
  related: readonly string[],
  all: readonly string[],
): { file: string; text: string } | undefined {
  const file = related[0] ?? all[0];
  if (file === undefined) return undefined;
  const whole = readRepoFile(root, file, MAX_SOURCE_BYTES);
  if (whole === undefined) return undefined;
  const lines = whole.split("\n");
  const clipped = lines.length > EXAMPLE_MAX_LINES;
  const text = lines.slice(0, EXAMPLE_MAX_LINES).join("\n");
  return { file, text: clipped ? `${text}\n# … (${lines.length - EXAMPLE_MAX_LINES} more lines)` : text };
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
