import { readFileSync } from "node:fs";
import { z } from "zod";
import { AutofixError } from "../errors.ts";

/** One localization instance (as in ../shared/datasets/localization/*.jsonl). */
export const instanceSchema = z.object({
  instance_id: z.string().min(1),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "owner/name"),
  base_commit: z.string().min(4),
  problem_statement: z.string(),
  patch: z.string(),
  expected_spans: z.record(z.string(), z.array(z.string())).optional(),
  test_patch: z.string().optional(),
  source: z.string().optional(),
});

export type Instance = z.infer<typeof instanceSchema>;

export function readDataset(path: string): Instance[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new AutofixError("eval.dataset_unreadable", `Cannot read the dataset ${path}.`, {
      hint: "Pass a JSONL file, one instance per line.",
      cause: error,
    });
  }
  const instances: Instance[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AutofixError("eval.dataset_invalid", `${path}:${index + 1}: not valid JSON.`, {
        hint: "Each line must be one JSON object.",
      });
    }
    const parsed = instanceSchema.safeParse(value);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      throw new AutofixError(
        "eval.dataset_invalid",
        `${path}:${index + 1}: ${problem?.path.join(".") || "(line)"}: ${problem?.message ?? "invalid"}.`,
        { hint: "Required: instance_id, repo (owner/name), base_commit, problem_statement, patch." },
      );
    }
    instances.push(parsed.data);
  });
  return instances;
}
