import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { type AutofixConfig, configSchema } from "../config/schema.ts";
import { SandboxInputError } from "./errors.ts";

export type SandboxConfig = AutofixConfig["sandbox"];

/** The `sandbox` section of a local checkout's .github/autofix.yml (defaults when there is none). */
export function readSandboxConfig(repoDir: string): SandboxConfig {
  const file = [".github/autofix.yml", ".github/autofix.yaml"]
    .map((name) => path.join(repoDir, name))
    .find((candidate) => existsSync(candidate));
  let raw: unknown = {};
  if (file !== undefined) {
    try {
      raw = parse(readFileSync(file, "utf8")) ?? {};
    } catch (error) {
      throw new SandboxInputError(`${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new SandboxInputError(
      `${file ?? ".github/autofix.yml"} is not a valid autofix config: ${problems.join("; ")}`,
      "Run `autofix config check` on it.",
    );
  }
  return parsed.data.sandbox;
}
