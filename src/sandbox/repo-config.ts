import { parse } from "yaml";
import { readRepoText } from "../config/repo-file.ts";
import { type AutofixConfig, configSchema } from "../config/schema.ts";
import { SandboxInputError } from "./errors.ts";

export type SandboxConfig = AutofixConfig["sandbox"];

/** The `sandbox` section of a local checkout's .github/autofix.yml (defaults when there is none). */
export function readSandboxConfig(repoDir: string): SandboxConfig {
  // Read only as a regular file inside the checkout: a link to a host file is never followed.
  const found = [".github/autofix.yml", ".github/autofix.yaml"]
    .map((name) => ({ file: name, text: readRepoText(repoDir, name) }))
    .find((candidate) => candidate.text !== undefined);
  const file = found?.file;
  let raw: unknown = {};
  if (found?.text !== undefined) {
    try {
      raw = parse(found.text) ?? {};
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
