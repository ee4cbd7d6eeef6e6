import { afterAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import {
  canonicalName,
  fileNameKeys,
  filesNamedBy,
  writtenCompoundNames,
} from "../../src/localize/file-names.ts";
import { FILE_RANKING } from "../../src/localize/rank-files.ts";
import { retrieve } from "../../src/localize/retrieve.ts";
import { removeTempDirs, tempDir, writeFiles } from "../code-index/fixture-repo.ts";

afterAll(removeTempDirs);

describe("names in any case style", () => {
  it("spells kebab, snake, camel and Pascal case the same way", () => {
    for (const name of ["no-extra-parens", "no_extra_parens", "noExtraParens", "NoExtraParens"])
      expect(canonicalName(name)).toBe("no-extra-parens");
    expect(canonicalName("HTMLParser")).toBe("html-parser");
    expect(canonicalName("URL_REGEXP")).toBe("url-regexp");
  });

  it("finds compound names in prose, config and code, and leaves one-word names out", () => {
    const names = writtenCompoundNames(
      "With `no-extra-parens: error` in .eslintrc the isCurrent helper and the Schema fail",
    );
    expect(names).toContain("no-extra-parens");
    expect(names).toContain("is-current");
    expect(names).not.toContain("schema");
  });

  it("answers to a file's base name, alone and with its folder's kind", () => {
    expect(fileNameKeys("lib/plugins/helper/is_current.js")).toEqual(["is-current", "is-current-helper"]);
    expect(fileNameKeys("lib/rules/no-extra-parens.js")).toEqual(["no-extra-parens", "no-extra-parens-rule"]);
  });

  it("names no file when the name fits too many", () => {
    const files = ["a/read-me.js", "b/read-me.js", "c/read-me.js", "lib/make-badge.js"].map((path) => ({
      path,
      blob: "",
      size: 1,
      lineCount: 1,
      language: "javascript",
      elements: [],
      hasSyntaxErrors: false,
      role: "source" as const,
    }));
    expect([...filesNamedBy(files, ["read-me", "make-badge"], 2).keys()]).toEqual(["lib/make-badge.js"]);
  });
});

describe("a file the issue names, ahead of hub files that share its words", () => {
  it("ranks the named rule's file first", async () => {
    const root = tempDir();
    const hubText = [
      "// The command line: reads the config, runs every rule, reports errors and warnings.",
      "const rules = require('./rules');",
      "function run(config, rule, error, warning, report) {",
      "  return rules.map((rule) => report(rule, config, error, warning));",
      "}",
      "module.exports = { run };",
    ].join("\n");
    writeFiles(root, {
      "lib/cli.js": hubText,
      "lib/config.js": hubText.replace("run", "load"),
      "lib/rules/no-extra-parens.js":
        "// Disallows unnecessary parens.\nmodule.exports = { create(context) { return { parens: context.report } }; } };\n",
      "lib/rules/no-extra-semi.js": "module.exports = { create(context) { return { semi: true }; } };\n",
    });
    const index = await buildCodeIndex({ root, parseWorkers: 0 });
    const issue = "Rule reports an error with extra parens\n\n```\nno-extra-parens: error\n```";
    const top = (weight: number) =>
      retrieve(index, issue, {
        elementFiles: 3,
        fileRanking: { ...FILE_RANKING, namedFile: { ...FILE_RANKING.namedFile, weight } },
      }).files[0]?.path;
    expect(top(FILE_RANKING.namedFile.weight)).toBe("lib/rules/no-extra-parens.js");
    expect(top(0)).not.toBe("lib/rules/no-extra-parens.js");
  });
});
