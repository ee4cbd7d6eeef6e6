import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareOutDir, removeOutFile, writeOutFile } from "../../src/pipeline/out-dir.ts";
import { readSandboxConfig } from "../../src/sandbox/repo-config.ts";

const scratch = () => mkdtempSync(path.join(tmpdir(), "autofix-out-"));

describe("the output directory", () => {
  it("replaces a committed link with a file instead of writing through it", () => {
    const root = scratch();
    const victim = path.join(root, "victim.txt");
    writeFileSync(victim, "precious\n");
    const out = path.join(root, "repo", "autofix-out");
    mkdirSync(out, { recursive: true });
    symlinkSync(victim, path.join(out, "report.md"));
    const written = writeOutFile(prepareOutDir(out), "report.md", "# report\n");
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(written).isSymbolicLink()).toBe(false);
    expect(readFileSync(written, "utf8")).toBe("# report\n");
  });

  it("refuses a path through a link, or one that is a file, before anything runs", () => {
    const root = scratch();
    mkdirSync(path.join(root, "real"));
    symlinkSync(path.join(root, "real"), path.join(root, "link"));
    expect(() => prepareOutDir(path.join(root, "link", "out"))).toThrow(/is a symbolic link/);
    expect(existsSync(path.join(root, "real", "out"))).toBe(false);
    writeFileSync(path.join(root, "file"), "");
    expect(() => prepareOutDir(path.join(root, "file"))).toThrow(/not a directory/);
  });

  it("removes an earlier run's patch (a link is removed, its target kept)", () => {
    const root = scratch();
    const target = path.join(root, "target.diff");
    writeFileSync(target, "keep");
    const out = prepareOutDir(path.join(root, "out"));
    symlinkSync(target, path.join(out, "patch.diff"));
    removeOutFile(out, "patch.diff");
    expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
    expect(readFileSync(target, "utf8")).toBe("keep");
  });
});

describe("the repository's config", () => {
  it("is never read through a link to a host file", () => {
    const host = scratch();
    writeFileSync(path.join(host, "secret.yml"), "sandbox:\n  image: host-secret-value\n");
    const repo = scratch();
    mkdirSync(path.join(repo, ".github"));
    symlinkSync(path.join(host, "secret.yml"), path.join(repo, ".github", "autofix.yml"));
    expect(readSandboxConfig(repo).image).toBeNull();
  });
});
