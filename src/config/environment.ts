import { z } from "zod";

/**
 * The operator's environment variables the product reads, in one schema, parsed once at start-up
 * (src/app/main.ts) and passed down; each area derives its settings from the parsed result
 * (AppSettings, WorkerSettings, …). Empty values count as unset (`KEY=` lines in .env files).
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
  AUTOFIX_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  AUTOFIX_JOBS_PER_INSTALLATION: z.coerce.number().int().min(1).max(1_000).default(2),
  AUTOFIX_JOBS_PER_REPOSITORY: z.coerce.number().int().min(1).max(1_000).default(1),
  AUTOFIX_JOB_STALE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(120_000),
  AUTOFIX_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  AUTOFIX_PIPELINE: z.string().optional(),
  AUTOFIX_DB: z.string().optional(),
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
    if (isVariable(name) && value !== undefined && value !== "") present[name] = value;
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
