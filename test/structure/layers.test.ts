import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ImportEdge, importSpecifiers, unitEdges, unitOf } from "./import-graph.ts";
import { cycles, type Layer, layerViolations } from "./layer-rule.ts";

/**
 * The layers of src/, top to bottom: a unit imports only its own layer or the ones below it, and
 * same-layer imports form no cycle. docs/architecture.md explains the table; this is the one copy.
 */
const LAYERS: readonly Layer[] = [
  { name: "host", units: ["app", "cli", "eval"] },
  { name: "worker", units: ["worker"] },
  { name: "pipeline", units: ["pipeline"] },
  { name: "publish", units: ["publish"] },
  { name: "stages", units: ["localize", "reproduce", "repair", "validate", "repo-tests"] },
  {
    name: "services",
    units: ["forge", "llm", "sandbox", "workspace", "code-index", "jobs", "scripted-model"],
  },
  { name: "base", units: ["contract", "config", "text", "errors"] },
];

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

describe("the layers of src/", () => {
  it("every folder and top-level file of src/ has a layer", () => {
    const listed = new Set(LAYERS.flatMap((layer) => layer.units));
    const units = readdirSync(SRC).map((name) => unitOf(name));
    expect(units.filter((unit) => !listed.has(unit))).toEqual([]);
  });

  it("no import goes up a layer, and no folders import each other in a cycle", () => {
    expect(layerViolations(unitEdges(SRC), LAYERS).join("\n")).toBe("");
  });
});

describe("the layer rule", () => {
  const edge = (from: string, to: string): ImportEdge => ({
    from,
    to,
    file: `${from}/x.ts`,
    specifier: `../${to}/y.ts`,
  });
  const layers: Layer[] = [
    { name: "top", units: ["a"] },
    { name: "middle", units: ["b", "c"] },
    { name: "bottom", units: ["d"] },
  ];

  it("reports an upward import and a same-layer cycle, naming the file and the import", () => {
    expect(layerViolations([edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("d", "a")], layers)).toEqual(
      [
        'upward: src/d/x.ts imports "../a/y.ts" — d (layer bottom) may not import a (layer top, above it)',
        'cycle: b, c\n  b→c: src/b/x.ts imports "../c/y.ts"\n  c→b: src/c/x.ts imports "../b/y.ts"',
      ],
    );
  });

  it("accepts downward and acyclic same-layer imports, and reports a unit in no layer", () => {
    expect(layerViolations([edge("a", "b"), edge("b", "c"), edge("c", "d")], layers)).toEqual([]);
    expect(layerViolations([edge("a", "e")], layers)).toEqual(["no layer: e"]);
  });

  it("finds each strongly connected group once", () => {
    expect(cycles([edge("a", "b"), edge("b", "a"), edge("c", "d"), edge("d", "c"), edge("b", "c")])).toEqual([
      ["c", "d"],
      ["a", "b"],
    ]);
  });

  it("reads static, type-only, re-exported, side-effect and literal dynamic imports", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type {\n  B,\n  C,\n} from "../b/c.ts";',
      'export { d } from "./d.ts";',
      'export * from "./e.ts";',
      'import "./f.ts";',
      'const g = await import("./g.ts");',
      'const h = "from here";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a.ts", "../b/c.ts", "./d.ts", "./e.ts", "./f.ts", "./g.ts"]);
  });
});
