import type { z } from "zod";
import type { ConfigProblem } from "./load.ts";
import { configSchema } from "./schema.ts";

type Issue = z.core.$ZodIssue;

/** Turn one zod issue into problems a maintainer can act on: the key path, the value, what is allowed. */
export function describeIssue(issue: Issue): ConfigProblem[] {
  const path = joinPath(issue.path);
  const got = "input" in issue ? describeValue(issue.input) : "nothing";
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeys(issue.path);
      return issue.keys.map((key) => ({
        path: joinPath([...issue.path, key]),
        message: `unknown key${didYouMean(key, allowed)}; allowed here: ${allowed.join(", ")}`,
      }));
    }
    case "invalid_type":
      if (issue.input === undefined) return [{ path, message: `is required (${expected(issue.expected)})` }];
      return [{ path, message: `expected ${expected(issue.expected)}, got ${got}` }];
    case "too_small":
      return [{ path, message: `${got} is too small: must be ${bound(issue, "≥", ">")}` }];
    case "too_big":
      return [{ path, message: `${got} is too large: must be ${bound(issue, "≤", "<")}` }];
    case "invalid_value":
      return [
        { path, message: `got ${got}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}` },
      ];
    case "invalid_format":
      return [{ path, message: `got ${got}; expected ${issue.message.replace(/^Invalid string: /, "")}` }];
    default:
      return [{ path, message: `${issue.message} (got ${got})` }];
  }
}

function bound(
  issue: Issue & { code: "too_small" | "too_big" },
  inclusive: string,
  exclusive: string,
): string {
  const limit = "minimum" in issue ? issue.minimum : issue.maximum;
  const unit = issue.origin === "array" ? " items" : issue.origin === "string" ? " characters long" : "";
  return `${issue.inclusive === false ? exclusive : inclusive} ${String(limit)}${unit}`;
}

function expected(type: string): string {
  const names: Record<string, string> = {
    int: "an integer",
    number: "a number",
    string: "a string",
    boolean: "true or false",
    object: "a mapping of keys",
    array: "a list",
  };
  return names[type] ?? type;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const shown = JSON.stringify(value);
  const short = shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
  return `${typeof value === "string" ? "the string" : `the ${typeof value}`} ${short}`;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

type Walkable = { def: { type: string; innerType?: Walkable; shape?: Record<string, Walkable> } };

/** The keys the schema allows at an object path (defaults and optionals unwrapped). */
function allowedKeys(path: readonly PropertyKey[]): string[] {
  let node: Walkable | undefined = configSchema as unknown as Walkable;
  for (const segment of [undefined, ...path]) {
    while (node?.def.innerType) node = node.def.innerType;
    if (segment !== undefined) node = node?.def.shape?.[String(segment)];
  }
  while (node?.def.innerType) node = node.def.innerType;
  return Object.keys(node?.def.shape ?? {});
}

function didYouMean(key: string, allowed: string[]): string {
  const best = allowed
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3))
    ? ` (did you mean "${best.candidate}"?)`
    : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
