import type { LanguageRegistry } from "../code-index/languages.ts";
import type { AutofixConfig } from "../config/schema.ts";
import type { Llm } from "../llm/llm.ts";
import { type FittedPrompt, fitPrompt, type PromptPart } from "../llm/prompt-fit.ts";
import { fillTemplate, loadTemplate } from "../llm/prompt-template.ts";
import { untrustedBlock } from "../localize/prompts.ts";
import { fenceLanguage } from "../repair/excerpts.ts";
import type { Detection } from "../repo-tests/detect.ts";
import { runTests } from "../repo-tests/run-tests.ts";
import type { Sandbox, SandboxLimits } from "../sandbox/sandbox.ts";
import { filterReproductionTests, reportedErrorNames } from "../validate/repro-filter.ts";
import { exampleTest, extractTestFile, reproductionPath } from "./test-file.ts";
import { groupTests } from "./vote.ts";

export type ReproduceInput = {
  /** Title and body, already cleaned of hidden text. */
  issueText: string;
  root: string;
  /** The localized code, rendered for a prompt. */
  code: string;
  detection: Detection;
  /** The prepared image (base + workspace + setup). */
  image: string;
  limits: Partial<SandboxLimits>;
  budget: AutofixConfig["reproduction"];
  /** Test files related to the localized code, most related first (the first is the style example). */
  relatedTests: readonly string[];
  registry: LanguageRegistry;
};

export type ReproduceServices = { llm: Llm; sandbox: Sandbox; signal?: AbortSignal };

/** One reproduction test tried, kept or rejected, as the report lists it. */
export type ReproductionRow = {
  id: string;
  file: string;
  kept: boolean;
  /** `kept (assertion): …` / `rejected (import error): …` */
  reason: string;
};

/** A reproduction test file kept: it fails on the unpatched code because of the bug. */
export type KeptTest = { path: string; text: string; ids: string[]; votes: number };

export type Reproduction = { rows: ReproductionRow[]; kept: KeptTest[]; notes: string[] };

const SAMPLE_TEMPERATURE = 0.8;
const MAX_TEST_TOKENS = 2_000;

/**
 * Sample reproduction tests, group equivalent ones, run one per group on the unpatched code and keep
 * those that fail because of the bug (an assertion or the reported error), most voted first.
 */
export async function reproduce(input: ReproduceInput, services: ReproduceServices): Promise<Reproduction> {
  const { detection, budget } = input;
  if (detection.framework === "command") {
    const note =
      "the repository's tests are a plain command without per-test results: no reproduction test can be checked";
    return { rows: [], kept: [], notes: [note] };
  }
  const example = exampleTest(input.root, input.relatedTests, detection.testFiles);
  const firstPath = reproductionPath(detection, example?.file, 1);
  const prompt = reproductionPrompt(input, example, firstPath);
  if (!prompt.fits) {
    const note = `the reproduction prompt (${prompt.tokens} tokens) is over reproduction.maxPromptTokens even when cut: no test sampled`;
    return { rows: [], kept: [], notes: [note] };
  }
  const { messages } = prompt;
  const promptNotes = prompt.notes.map((cut) => `cut to fit reproduction.maxPromptTokens: ${cut}`);
  const completion = await services.llm.complete({
    stage: "reproduce.sample",
    messages,
    n: budget.samples,
    temperature: budget.samples > 1 ? SAMPLE_TEMPERATURE : 0,
    maxTokens: MAX_TEST_TOKENS,
    ...(services.signal ? { signal: services.signal } : {}),
  });
  const rows: ReproductionRow[] = [];
  const samples: { path: string; text: string; sample: number }[] = [];
  completion.texts.forEach((answer, i) => {
    const extracted = extractTestFile(answer, completion.finishReasons[i]);
    if (extracted.ok)
      samples.push({
        path: reproductionPath(detection, example?.file, i + 1),
        text: extracted.text,
        sample: i + 1,
      });
    else
      rows.push({
        id: `sample ${i + 1}`,
        file: "",
        kept: false,
        reason: `rejected (unreadable): ${extracted.reason}`,
      });
  });
  const reported = reportedErrorNames(input.issueText);
  const kept: KeptTest[] = [];
  for (const group of await groupTests(input.registry, samples)) {
    if (kept.length >= budget.keep) break;
    services.signal?.throwIfAborted();
    const { path, text } = group.representative;
    const run = await runTests(services.sandbox, {
      image: input.image,
      runner: detection.runner,
      selection: [path],
      files: [{ path, content: text }],
      limits: input.limits,
    });
    const ids = run.results.filter((result) => result.file === path).map((result) => result.id);
    const verdicts = filterReproductionTests(ids.length > 0 ? ids : [path], run, reported);
    const twins = group.votes > 1 ? ` (${group.votes} equivalent samples)` : "";
    for (const verdict of verdicts)
      rows.push({ id: verdict.id, file: path, kept: verdict.keep, reason: verdict.reason + twins });
    const keptIds = verdicts.filter((verdict) => verdict.keep).map((verdict) => verdict.id);
    if (keptIds.length > 0) kept.push({ path, text, ids: keptIds, votes: group.votes });
  }
  return { rows, kept, notes: promptNotes };
}

/**
 * The prompt within reproduction.maxPromptTokens: the issue and the example test take at most a
 * quarter each of what the template leaves when something must be cut; every cut is shown.
 */
function reproductionPrompt(
  input: ReproduceInput,
  example: { file: string; text: string } | undefined,
  testFile: string,
): FittedPrompt {
  const template = loadTemplate("reproduce");
  const parts: PromptPart[] = [
    {
      name: "issue",
      text: input.issueText,
      what: "issue text",
      wrap: (text) => untrustedBlock("Issue", text),
      maxShare: 0.25,
    },
    { name: "code", text: input.code, what: "code" },
  ];
  if (example)
    parts.push({
      name: "example",
      text: example.text,
      what: "example test",
      wrap: (text) => untrustedBlock(example.file, text, fenceLanguage(example.file)),
      maxShare: 0.25,
    });
  const fixed = {
    framework: input.detection.framework,
    exampleFile: example?.file ?? "(none)",
    testFile,
    ...(example ? {} : { example: "(no test file yet)" }),
  };
  return fitPrompt({
    render: (values) => fillTemplate(template, { ...fixed, ...values }),
    parts,
    maxPromptTokens: input.budget.maxPromptTokens,
  });
}
