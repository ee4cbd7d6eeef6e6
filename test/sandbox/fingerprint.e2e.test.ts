import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workspaceFingerprint } from "../../src/sandbox/fingerprint.ts";

// workspaceFingerprint asks git (a process) whether the folder is a work tree of its own.
describe("workspace fingerprint", () => {
  it("changes with content and ignores .git", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "autofix-fp-"));
    try {
      writeFileSync(path.join(dir, "a.txt"), "one");
      const first = workspaceFingerprint(dir);
      expect(workspaceFingerprint(dir)).toBe(first);
      rmSync(path.join(dir, ".git"), { recursive: true, force: true });
      writeFileSync(path.join(dir, ".git"), "ignored");
      expect(workspaceFingerprint(dir)).toBe(first);
      writeFileSync(path.join(dir, "a.txt"), "two");
      expect(workspaceFingerprint(dir)).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
