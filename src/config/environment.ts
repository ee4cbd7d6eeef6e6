import { z } from "zod";

/** How several samples are asked of the model (AUTOFIX_LLM_SAMPLES_MODE). */
export const SAMPLES_MODES = ["auto", "native", "separate"] as const;

/** Trimmed, and blank is unset. */
function trimmed<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined),
    schema.optional(),
  );
}

const size = z.string().regex(/^\d+(\.\d+)?[kmg]?$/i, "a size like 512m or 2g");

/**
 * The operator's environment variables the product reads, in one schema, parsed once at start-up
 * (src/app/main.ts, src/cli/main.ts) and passed down; each area derives its settings from the parsed result
 * (AppSettings, WorkerSettings, LlmSettings, SandboxSettings, …). Empty values count as unset (`KEY=`
 * lines in .env files), except the sandbox's.
 */
export const environmentSchema = z.object({
  // The App server (src/app/settings.ts).
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().optional(),
  NODE_ENV: z.string().optional(),
  APP_ID: z.string().regex(/^\d+$/, "the numeric App ID from the GitHub App's settings page").optional(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
  WEBHOOK_PROXY_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  GHE_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a host name like github.example.com, without scheme or path")
    .optional(),
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
  // The worker (src/worker/settings.ts, src/worker/scripted-pipeline.ts) and its job store.
  AUTOFIX_WORKER: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(["on", "off", ""], "on or off"))
    .optional(),
  AUTOFIX_DISPATCH: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(["on", "off", ""], "on or off"))
    .optional(),
  AUTOFIX_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  AUTOFIX_JOBS_PER_INSTALLATION: z.coerce.number().int().min(1).max(1_000).default(2),
  AUTOFIX_JOBS_PER_REPOSITORY: z.coerce.number().int().min(1).max(1_000).default(1),
  AUTOFIX_JOB_STALE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(120_000),
  AUTOFIX_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  AUTOFIX_PIPELINE: z.string().optional(),
  AUTOFIX_DB: z.string().optional(),
  // The model (src/llm/settings.ts): values are trimmed, and blank is unset; AUTOFIX_* win over OPENAI_*.
  AUTOFIX_LLM_BASE_URL: trimmed(z.url({ protocol: /^https?$/ })),
  OPENAI_BASE_URL: trimmed(z.url({ protocol: /^https?$/ })),
  AUTOFIX_LLM_API_KEY: trimmed(z.string()),
  OPENAI_API_KEY: trimmed(z.string()),
  AUTOFIX_LLM_MODEL: trimmed(z.string()),
  AUTOFIX_LLM_CONCURRENCY: trimmed(z.coerce.number().int().min(1).max(256)),
  AUTOFIX_LLM_MAX_RETRIES: trimmed(z.coerce.number().int().min(0).max(10)),
  AUTOFIX_LLM_TIMEOUT_MS: trimmed(z.coerce.number().int().min(1).max(3_600_000)),
  AUTOFIX_LLM_SAMPLES_MODE: trimmed(z.enum(SAMPLES_MODES)),
  AUTOFIX_LLM_PRICES: trimmed(z.string()),
  AUTOFIX_LLM_RECORD: trimmed(z.string()),
  AUTOFIX_LLM_REPLAY: trimmed(z.string()),
  // The caches (src/workspace/cache-dir.ts, snapshot-cache.ts).
  AUTOFIX_CACHE_DIR: z.string().optional(),
  XDG_CACHE_HOME: z.string().optional(),
  AUTOFIX_CACHE_MAX_SNAPSHOTS: trimmed(z.coerce.number().int().min(1).max(100_000)),
  // The sandbox (src/sandbox/settings.ts): security bounds, so an empty value is refused, not unset.
  AUTOFIX_SANDBOX_SETUP_NETWORK: z.enum(["none", "host", "bridge"]).default("none"),
  AUTOFIX_SANDBOX_CA_BUNDLE: z.string().min(1).optional(),
  /** A comma-separated list; its items are checked by the sandbox, which knows image names. */
  AUTOFIX_SANDBOX_IMAGES: z.string().optional(),
  AUTOFIX_SANDBOX_MAX_MEMORY: size.optional(),
  AUTOFIX_SANDBOX_MAX_CPUS: z.coerce.number().positive().optional(),
  AUTOFIX_SANDBOX_MAX_PIDS: z.coerce.number().int().min(16).optional(),
  AUTOFIX_SANDBOX_MAX_DISK: size.optional(),
  AUTOFIX_SANDBOX_MAX_TEST_TIMEOUT_SECONDS: z.coerce.number().int().positive().optional(),
  AUTOFIX_SANDBOX_MAX_SETUP_TIMEOUT_SECONDS: z.coerce.number().int().positive().optional(),
  AUTOFIX_SANDBOX_SETUP_IMAGES_MAX: z.coerce.number().int().min(1).optional(),
  AUTOFIX_SANDBOX_SETUP_IMAGES_MAX_BYTES: size.optional(),
});

export type EnvironmentValues = z.output<typeof environmentSchema>;
export type EnvironmentVariable = keyof EnvironmentValues;

/** One variable whose value the schema refused: what it holds and what was expected. */
export type EnvironmentProblem = {
  variable: EnvironmentVariable;
  /** The issue's path, `VARIABLE` or `VARIABLE.0` for an item of a list. */
  path: string;
  value: string;
  message: string;
};

/**
 * The parsed environment. A refused variable is listed in `problems` and takes its default in
 * `values`: the area that reads it reports it (at start-up, or when a job needs it), so a bad model
 * setting fails a job with a comment instead of stopping the App.
 */
export type Environment = { values: EnvironmentValues; problems: readonly EnvironmentProblem[] };

const VARIABLES = new Set<string>(Object.keys(environmentSchema.shape));

function isVariable(name: string): name is EnvironmentVariable {
  return VARIABLES.has(name);
}

export function readEnvironment(env: Readonly<Record<string, string | undefined>>): Environment {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const unset = value === undefined || (value === "" && !name.startsWith("AUTOFIX_SANDBOX_"));
    if (isVariable(name) && !unset) present[name] = value;
  }
  const parsed = environmentSchema.safeParse(present);
  if (parsed.success) return { values: parsed.data, problems: [] };
  const problems: EnvironmentProblem[] = [];
  for (const issue of parsed.error.issues) {
    const variable = String(issue.path[0] ?? "");
    if (!isVariable(variable)) continue;
    problems.push({
      variable,
      path: issue.path.join("."),
      value: present[variable] ?? "",
      message: issue.message,
    });
  }
  const refused = new Set<string>(problems.map((problem) => problem.variable));
  const usable = Object.fromEntries(Object.entries(present).filter(([name]) => !refused.has(name)));
  return { values: environmentSchema.parse(usable), problems };
}

/** The problems among `variables`, in schema order: what an area reports before it uses them. */
export function problemsWith(
  environment: Environment,
  variables: readonly EnvironmentVariable[],
): EnvironmentProblem[] {
  const wanted = new Set<string>(variables);
  return environment.problems.filter((problem) => wanted.has(problem.variable));
}
