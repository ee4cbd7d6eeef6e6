import type { ImportEdge } from "./import-graph.ts";

/** A named layer and the units (folders of src/, or top-level files) in it. */
export type Layer = { name: string; units: readonly string[] };

function describe(edge: ImportEdge): string {
  return `src/${edge.file} imports "${edge.specifier}"`;
}

/** The strongly connected groups of more than one unit (Tarjan's algorithm). */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    next.set(from, (next.get(from) ?? new Set()).add(to));
    if (!next.has(to)) next.set(to, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (unit: string): number => {
    const own = index.size;
    index.set(unit, own);
    low.set(unit, own);
    stack.push(unit);
    for (const to of next.get(unit) ?? []) {
      const reached = index.get(to);
      if (reached === undefined) low.set(unit, Math.min(low.get(unit) ?? own, visit(to)));
      else if (stack.includes(to)) low.set(unit, Math.min(low.get(unit) ?? own, reached));
    }
    const lowest = low.get(unit) ?? own;
    if (lowest === own) {
      const group = stack.splice(stack.indexOf(unit));
      if (group.length > 1) groups.push(group.sort());
    }
    return lowest;
  };
  for (const unit of [...next.keys()].sort()) if (!index.has(unit)) visit(unit);
  return groups;
}

/**
 * Every breach of the rule, one readable line each: a unit in no layer, an import of a higher layer
 * (`layers` lists them top to bottom), and a cycle (same-layer imports are allowed only without one).
 */
export function layerViolations(edges: readonly ImportEdge[], layers: readonly Layer[]): string[] {
  const rank = new Map(layers.flatMap((layer, i) => layer.units.map((unit) => [unit, i] as const)));
  const layerOf = (unit: string) => layers[rank.get(unit) ?? -1]?.name ?? "?";
  const units = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  const problems = [...units].filter((unit) => !rank.has(unit)).map((unit) => `no layer: ${unit}`);
  for (const edge of edges) {
    const from = rank.get(edge.from);
    const to = rank.get(edge.to);
    if (from === undefined || to === undefined || to >= from) continue;
    problems.push(
      `upward: ${describe(edge)} — ${edge.from} (layer ${layerOf(edge.from)}) may not import ${edge.to} (layer ${layerOf(edge.to)}, above it)`,
    );
  }
  for (const group of cycles(edges)) {
    const inside = edges.filter((edge) => group.includes(edge.from) && group.includes(edge.to));
    const examples = new Map(inside.map((edge) => [`${edge.from}→${edge.to}`, describe(edge)]));
    const lines = [...examples].map(([pair, example]) => `  ${pair}: ${example}`);
    problems.push(`cycle: ${group.join(", ")}\n${lines.join("\n")}`);
  }
  return problems;
}
