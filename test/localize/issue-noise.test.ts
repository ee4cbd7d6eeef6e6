import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import type { CodeIndex } from "../../src/code-index/code-index.ts";
import { issueSignals, TERM_WEIGHTS } from "../../src/localize/issue-signals.ts";
import { retrieve } from "../../src/localize/retrieve.ts";
import { removeTempDirs, tempDir, writeFiles } from "../code-index/fixture-repo.ts";

const weightOf = (text: string, term: string, weighting = TERM_WEIGHTS) =>
  issueSignals(text, weighting).terms.find((entry) => entry.term === term)?.weight;

describe("issue-form noise", () => {
  const form = [
    "Cart total ignores the discount",
    "### Describe the bug",
    "",
    "The total stays the same.",
    "",
    "### Environment",
    "",
    "<details>",
    "INSTALLED VERSIONS",
    "pydap: None",
    "nc_time_axis: None",
    "</details>",
    "",
    "### Sphinx extensions",
    "",
    "autodoc, intersphinx",
    "",
    "### Additional context",
    "",
    "_No response_",
  ].join("\r\n");

  it("drops whole environment sections of issue forms, `key: None` lines included", () => {
    const dropped = issueSignals(form);
    const terms = new Set(dropped.terms.map((entry) => entry.term));
    for (const noise of ["pydap", "nc_time_axis", "intersphinx", "autodoc"])
      expect(terms).not.toContain(noise);
    expect(dropped.identifiers).not.toContain("nc_time_axis");
    expect(terms).toContain("total");
    const kept = issueSignals(form, { ...TERM_WEIGHTS, dropEnvironment: false });
    expect(kept.terms.map((entry) => entry.term)).toContain("intersphinx");
  });

  it("drops template headings in plain words, ticked checklists and `_No response_`", () => {
    const issue = `${form}\n- [X] Minimal example — focused on the notebook\n### \`Cart.total\` is stale`;
    const noTemplate = { ...TERM_WEIGHTS, dropTemplate: true };
    for (const noise of ["describe", "additional", "response", "notebook"])
      expect(weightOf(issue, noise, noTemplate)).toBeUndefined();
    expect(weightOf(issue, "stale", noTemplate)).toBeGreaterThan(0);
    expect(weightOf(issue, "describe", { ...noTemplate, dropTemplate: false })).toBeGreaterThan(0);
  });

  it("drops shell commands (how to reproduce, not where)", () => {
    const issue =
      "Build fails\n```\n$ git clone https://example.com/demo\n$ make html\n```\nThe build fails.";
    expect(weightOf(issue, "html", { ...TERM_WEIGHTS, dropShell: true })).toBeUndefined();
    expect(weightOf(issue, "html", { ...TERM_WEIGHTS, dropShell: false })).toBeGreaterThan(0);
    expect(weightOf(issue, "build", { ...TERM_WEIGHTS, dropShell: true })).toBeGreaterThan(0);
  });
});

describe("hidden markup", () => {
  it("leaves out HTML comments (template instructions the rendered issue does not show)", () => {
    const issue =
      "Factor drops a factor\n<!-- Your title should describe what was changed. -->\nfactor(z) loses y";
    expect(weightOf(issue, "title")).toBeUndefined();
    expect(weightOf(issue, "title", { ...TERM_WEIGHTS, dropHidden: false })).toBeGreaterThan(0);
    expect(weightOf(issue, "factor")).toBeGreaterThan(0);
  });

  it("keeps an HTML comment inside a code block (it is shown there)", () => {
    const issue = "Parser drops comments\n```html\n<!-- keepme -->\n```";
    expect(weightOf(issue, "keepme")).toBeGreaterThan(0);
  });
});

describe("prose stop words", () => {
  const issue =
    "Which links would be wrong\nSome variables could link to any other.\n```python\nany(items)\n```";

  it("leaves English function words out of the prose and the title", () => {
    for (const word of ["which", "would", "some", "could"])
      expect(weightOf(issue, word), word).toBeUndefined();
    expect(weightOf(issue, "which", { ...TERM_WEIGHTS, dropProseStopWords: false })).toBeGreaterThan(0);
    expect(weightOf(issue, "links")).toBeGreaterThan(0);
  });

  it("keeps a stop word written as code, at the code weight only", () => {
    expect(weightOf(issue, "any")).toBe(TERM_WEIGHTS.code);
    expect(weightOf(issue, "any", { ...TERM_WEIGHTS, dropProseStopWords: false })).toBeGreaterThan(
      TERM_WEIGHTS.code,
    );
  });
});

describe("import aliases", () => {
  let index: CodeIndex;
  beforeAll(async () => {
    const root = tempDir();
    writeFiles(root, {
      "geo/__init__.py": "from geo.ops import where\n",
      "geo/ops.py": "def where(cond, x, y):\n    return x\n",
      "geo/frame.py": "class Frame:\n    def where(self, cond):\n        return self\n",
    });
    index = await buildCodeIndex({ root, parseWorkers: 0 });
  });
  afterAll(removeTempDirs);

  it("reads `gx.where` as `geo.where` when the issue imports geo as gx", () => {
    const text = "where drops attributes\n```python\nimport geo as gx\ngx.where(c, a, b)\n```";
    expect(issueSignals(text).dottedNames).toEqual(["gx.where", "geo.where"]);
  });

  it("points a package attribute at the module-level definition, not at methods of that name", () => {
    const text = "where drops attributes\n```python\nimport geo as gx\ngx.where(c, a, b)\n```";
    const files = retrieve(index, text, { elementFiles: 3 }).files;
    expect(files.find((file) => file.path === "geo/ops.py")?.reasons).toContain("package attribute");
    expect(files.find((file) => file.path === "geo/frame.py")?.reasons ?? []).not.toContain(
      "package attribute",
    );
  });
});

describe("quoted messages", () => {
  it("keeps the fixed parts of error messages and multi-word inline code", () => {
    const issue = [
      "Docs show the default text",
      "Only ``alias of ...`` is shown for `FileOp`.",
      "KeyError: 'price' not in the catalog index",
    ].join("\n");
    expect(issueSignals(issue).phrases).toEqual(["not in the catalog index"]);
    expect(issueSignals("Shows `alias of the type` instead").phrases).toEqual(["alias of the type"]);
  });

  let index: CodeIndex;
  beforeAll(async () => {
    const root = tempDir();
    writeFiles(root, {
      "shop/catalog.py": 'def find(index, key):\n    raise KeyError(f"{key!r} not in the catalog index")\n',
      "shop/index.py": "def catalog_index(items):\n    return {item.key: item for item in items}\n",
    });
    index = await buildCodeIndex({ root, parseWorkers: 0 });
  });

  it("credits the file that spells the quoted message, and only files that do", () => {
    const files = retrieve(index, "Lookup fails\nKeyError: 'pen' not in the catalog index", {
      elementFiles: 3,
    }).files;
    expect(files.find((file) => file.path === "shop/catalog.py")?.reasons).toContain("quoted message");
    expect(files.find((file) => file.path === "shop/index.py")?.reasons ?? []).not.toContain(
      "quoted message",
    );
  });
});
