/**
 * Merge config layers, farthest first (an `_extends` target) to nearest last (the repo's own file).
 * Mappings merge key by key; anything else — lists included — is replaced by the nearer layer, so a
 * repository can shorten a list it inherits (Probot's default deepmerge would concatenate lists).
 */
export function mergeConfigLayers(layers: readonly unknown[]): unknown {
  let merged: unknown;
  for (const layer of layers) merged = mergeTwo(merged, layer);
  return merged;
}

function mergeTwo(base: unknown, near: unknown): unknown {
  if (!isMapping(base) || !isMapping(near)) return near === undefined ? base : near;
  // Object.fromEntries defines own properties, so a `__proto__` key in YAML stays an ordinary key.
  const keys = new Set([...Object.keys(base), ...Object.keys(near)]);
  return Object.fromEntries([...keys].map((key) => [key, mergeTwo(own(base, key), own(near, key))] as const));
}

function own(mapping: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(mapping, key) ? mapping[key] : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
