/** `{a: {b: 1}}` → `[["a.b", 1]]`; lists and scalars are leaves. */
export function flattenConfig(value: unknown, prefix = ""): [string, unknown][] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, inner]) =>
    flattenConfig(inner, prefix ? `${prefix}.${key}` : key),
  );
}
