import { z } from "zod";

/**
 * `.github/autofix.yml` — the single source of truth for the repository config: its types, its
 * defaults and its documentation (docs/config.md and schema/autofix.schema.json are generated from
 * this file by `npm run schema`, and a test fails when they drift).
 *
 * Defaults follow Agentless (Xia et al., 2407.01489) where it measured them: 3 files, 4 sampled
 * location sets, ±10 lines of context, 10 candidates per location set at temperature 0.8.
 */

const count = (min: number, max: number) => z.int().min(min).max(max);

const localization = z
  .strictObject({
    maxFiles: count(1, 50).default(3).describe("Files kept after file-level localization."),
    maxElements: count(1, 200)
      .default(15)
      .describe("Functions, classes and methods kept after element-level localization."),
    maxEditLocations: count(1, 100).default(8).describe("Edit locations (line ranges) in one location set."),
    contextLines: count(0, 200)
      .default(10)
      .describe("Lines of context shown to repair around each edit location."),
    locationSets: count(1, 20)
      .default(4)
      .describe("Location sets sampled at line level; repair samples candidates for each."),
    maxPromptTokens: count(1_000, 1_000_000)
      .default(32_000)
      .describe("Prompt tokens allowed in one localization model call (the repo tree is pruned to fit)."),
  })
  .describe("Localization budgets: repository → files → elements → lines.");

const reproduction = z
  .strictObject({
    samples: count(1, 50).default(4).describe("Reproduction tests sampled from the model."),
    keep: count(1, 10)
      .default(3)
      .describe("Reproduction tests kept (those failing on the base for the bug)."),
    whenMissing: z
      .enum(["suggest", "stop"])
      .default("suggest")
      .describe(
        "When no reproduction test could be established, no pull request is ever opened. `suggest`: still sample and regression-test candidates, and offer the best one as a suggestion in the report. `stop`: abstain at once and spend nothing on repair.",
      ),
    maxPromptTokens: count(1_000, 1_000_000).default(32_000).describe("Prompt tokens allowed in one call."),
  })
  .describe("Reproduction tests written before repairing.");

const repair = z
  .strictObject({
    candidatesPerSet: count(1, 50).default(10).describe("Candidate patches sampled per location set."),
    temperature: z
      .number()
      .min(0)
      .max(2)
      .default(0.8)
      .describe("Sampling temperature (the first sample is greedy)."),
    refinementRounds: count(0, 3)
      .default(1)
      .describe("Rounds that show the model the failing output when no candidate validated."),
    maxPromptTokens: count(1_000, 1_000_000).default(32_000).describe("Prompt tokens allowed in one call."),
  })
  .describe("Candidate patches.");

const limits = z
  .strictObject({
    maxTokensPerRun: count(1_000, 100_000_000)
      .default(500_000)
      .describe("Prompt + completion tokens one run may spend; a call that could exceed it is refused."),
    maxDollarsPerRun: z
      .number()
      .min(0)
      .max(1_000)
      .default(2)
      .describe(
        "Dollars one run may spend, at the operator's price table; a call that could exceed it is refused.",
      ),
  })
  .describe("Per-run ceilings, enforced before every model call.");

const modelName = z.string().min(1);
const models = z
  .strictObject({
    default: modelName
      .optional()
      .describe("Model for every stage (default: the operator's AUTOFIX_LLM_MODEL)."),
    localize: modelName.optional().describe("Model for the localization stages."),
    reproduce: modelName.optional().describe("Model for writing reproduction tests."),
    repair: modelName.optional().describe("Model for sampling and refining candidate patches."),
  })
  .describe("Model per stage, by the endpoint's model name.");

const memory = z
  .string()
  .regex(/^\d+(\.\d+)?[kmg]?$/i, "a size like 512m or 2g")
  .describe("Memory limit, like 512m or 2g.");

const sandbox = z
  .strictObject({
    image: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/, "an image name like autofix/node:24")
      .refine(
        (name) => !/^sha256:|^[0-9a-f]{6,64}$|^autofix-setup\//.test(name),
        "an image name, not an image ID nor a setup image",
      )
      .nullable()
      .default(null)
      .describe(
        "Docker image the tests run in, by name, among those the operator allows (AUTOFIX_SANDBOX_IMAGES; by default autofix/node:24, autofix/python:3, autofix/debian:bookworm). Default: chosen by the repository's language.",
      ),
    setup: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe("Command run once per base commit before tests, e.g. `npm ci` or `pip install -e .`."),
    test: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe("Test command (default: detected from the framework)."),
    setupNetwork: z
      .boolean()
      .default(false)
      .describe("Let the setup command reach package registries. Tests always run without network."),
    setupTimeoutSeconds: count(10, 7_200).default(900).describe("Wall-clock limit of the setup command."),
    testTimeoutSeconds: count(5, 3_600).default(300).describe("Wall-clock limit of one test run."),
    memory: memory.default("2g"),
    cpus: z.number().min(0.1).max(64).default(1).describe("CPUs one sandbox may use."),
    pids: count(16, 65_536).default(256).describe("Process limit inside the sandbox."),
    disk: z
      .string()
      .regex(/^\d+(\.\d+)?[kmg]?$/i, "a size like 512m or 2g")
      .default("2g")
      .describe("Bytes one sandbox may write (setup included), like 512m or 2g."),
  })
  .describe(
    "The Docker sandbox that runs the repository's tests. Memory, cpus, pids, disk and the timeouts are lowered to the operator's maxima (docs/deploy.md, Security model).",
  );

const pullRequest = z
  .strictObject({
    draft: z.boolean().default(true).describe("Open pull requests as drafts."),
    branchPrefix: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+$/, "letters, digits and . _ / -")
      .default("autofix/")
      .describe("Branch name prefix; the branch is <prefix>issue-<N>."),
  })
  .describe("How fixes are proposed.");

const validation = z
  .strictObject({
    allowPatchWithoutRegressionTests: z
      .boolean()
      .default(false)
      .describe(
        "Propose a patch even when no regression test could run (none found, or all left out): it then rests on the reproduction tests alone. Off: such a candidate is offered as a suggestion only.",
      ),
  })
  .describe("How candidates are judged.");

const caps = z
  .strictObject({
    maxOpenPullRequests: count(1, 100).default(3).describe("Open autofix pull requests per repository."),
    runsPerHour: count(1, 1_000).default(5).describe("Runs started per repository per hour."),
  })
  .describe("Rate caps per repository.");

export const configSchema = z
  .strictObject({
    _extends: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Inherit from another repository's config: `.github` (same owner) or `owner/repo`; resolved by the App.",
      ),
    label: z.string().min(1).default("autofix").describe("The issue label that starts a run."),
    localization: localization.prefault({}),
    reproduction: reproduction.prefault({}),
    repair: repair.prefault({}),
    validation: validation.prefault({}),
    limits: limits.prefault({}),
    models: models.prefault({}),
    sandbox: sandbox.prefault({}),
    protectedPaths: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Globs a patch may never touch, added to the built-in protected paths (tests and their infrastructure and config, dependency manifests and lockfiles, CI files, `.github/**`, `.git/**`; see docs/fix.md). They can only add: the built-in rules always apply, whatever this says. Matched case-insensitively.",
      ),
    pullRequest: pullRequest.prefault({}),
    caps: caps.prefault({}),
  })
  .describe("autofix repository config (.github/autofix.yml).");

/** The config as written (every key optional). */
export type AutofixConfigInput = z.input<typeof configSchema>;
/** The config with every default filled in. */
export type AutofixConfig = z.output<typeof configSchema>;
