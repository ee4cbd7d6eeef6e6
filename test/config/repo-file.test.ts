import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readRepoFile, readRepoText } from "../../src/config/repo-file.ts";
import { exampleTest } from "../../src/reproduce/test-file.ts";

/** A repository folder beside a "host" folder holding a secret, with links from one to the other. */
function repoWithLinksOut(): { root: string; secretDir: string } {
  const base = mkdtempSync(path.join(tmpdir(), "autofix-repo-file-"));
  const secretDir = path.join(base, "host");
  mkdirSync(secretDir);
  writeFileSync(path.join(secretDir, "secret.js"), "host-secret\n");
  writeFileSync(path.join(secretDir, "autofix.yml"), "host: secret\n");
  const root = path.join(base, "repo");
  mkdirSync(path.join(root, "lib"), { recursive: true });
  writeFileSync(path.join(root, "lib", "calc.js"), "module.exports = 1;\n");
  symlinkSync(path.join(secretDir, "secret.js"), path.join(root, "lib", "linked.js"));
  symlinkSync(secretDir, path.join(root, "test"));
  symlinkSync(secretDir, path.join(root, ".github"));
  return { root, secretDir };
}

describe("reading the repository's own files", () => {
  it("reads regular files, and nothing through a link: the file itself or a folder on its way", () => {
    const { root } = repoWithLinksOut();
    expect(readRepoFile(root, "lib/calc.js", 1024)).toBe("module.exports = 1;\n");
    expect(readRepoFile(root, "lib/linked.js", 1024)).toBeUndefined();
    expect(readRepoFile(root, "test/secret.js", 1024)).toBeUndefined();
    expect(readRepoText(root, ".github/autofix.yml")).toBeUndefined();
    expect(readRepoFile(root, "../host/secret.js", 1024)).toBeUndefined();
    expect(readRepoFile(root, "lib/calc.js", 4)).toBeUndefined();
  });

  it("never shows the model a linked file as the test example", () => {
    const { root } = repoWithLinksOut();
    expect(exampleTest(root, ["test/secret.js"], [])).toBeUndefined();
    expect(exampleTest(root, ["lib/linked.js"], [])).toBeUndefined();
    expect(exampleTest(root, ["lib/calc.js"], [])?.text).toBe("module.exports = 1;\n");
  });
});
