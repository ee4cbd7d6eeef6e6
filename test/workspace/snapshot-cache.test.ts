import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnvironment } from "../../src/config/environment.ts";
import { isAutofixError } from "../../src/errors.ts";
import {
  DEFAULT_MAX_SNAPSHOTS,
  maxSnapshotsFromEnv,
  SnapshotCache,
} from "../../src/workspace/snapshot-cache.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sha = (n: number) => n.toString(16).padStart(40, "0");

/** A cache with one snapshot per entry, `usedAt` seconds since the epoch as its directory's mtime. */
function cacheWith(snapshots: { key: string; n: number; usedAt: number; missing?: boolean }[]): {
  root: string;
  path: (key: string, n: number) => string;
} {
  const root = mkdtempSync(join(tmpdir(), "autofix-snapshots-"));
  dirs.push(root);
  const path = (key: string, n: number) => join(root, "snapshots", key, sha(n));
  for (const { key, n, usedAt, missing } of snapshots) {
    mkdirSync(path(key, n), { recursive: true });
    writeFileSync(join(path(key, n), "calc.py"), "x = 1\n");
    if (missing) writeFileSync(`${path(key, n)}.missing.json`, "[]");
    utimesSync(path(key, n), usedAt, usedAt);
  }
  return { root, path };
}

describe("SnapshotCache", () => {
  it("keeps the most recently used snapshots across repositories and removes the rest, with their notes", async () => {
    const { root, path } = cacheWith([
      { key: "github.com/octo/calc", n: 1, usedAt: 1_000, missing: true },
      { key: "github.com/octo/calc", n: 2, usedAt: 4_000 },
      { key: "local/shop-0123456789ab", n: 3, usedAt: 2_000 },
      { key: "local/shop-0123456789ab", n: 4, usedAt: 3_000 },
    ]);
    // Neither a mirror nor a staging directory is a snapshot.
    mkdirSync(join(root, "mirrors", "github.com", "octo", "calc.git"), { recursive: true });
    mkdirSync(join(root, "snapshots", "github.com", "octo", "calc", `${sha(9)}.tmp-1-abcd`));

    const result = await new SnapshotCache({ cacheRoot: root, maxSnapshots: 2 }).evict();

    expect(result).toEqual({
      removed: [path("github.com/octo/calc", 1), path("local/shop-0123456789ab", 3)],
      kept: 2,
    });
    expect(existsSync(path("github.com/octo/calc", 1))).toBe(false);
    expect(existsSync(`${path("github.com/octo/calc", 1)}.missing.json`)).toBe(false);
    expect(existsSync(path("github.com/octo/calc", 2))).toBe(true);
    expect(existsSync(path("local/shop-0123456789ab", 4))).toBe(true);
    expect(existsSync(join(root, "mirrors", "github.com", "octo", "calc.git"))).toBe(true);
  });

  it("never evicts a held snapshot, even the least recently used one past the bound; released, it goes", async () => {
    const { root, path } = cacheWith([
      { key: "github.com/octo/calc", n: 1, usedAt: 1_000 },
      { key: "github.com/octo/calc", n: 2, usedAt: 2_000 },
    ]);
    const cache = new SnapshotCache({ cacheRoot: root, maxSnapshots: 1 });
    const release = await cache.hold(path("github.com/octo/calc", 1));
    const second = await cache.hold(path("github.com/octo/calc", 1)); // two jobs on one snapshot
    utimesSync(path("github.com/octo/calc", 1), 500, 500); // the oldest again, held all the same

    expect(await cache.evict()).toEqual({ removed: [], kept: 2 });
    release();
    release(); // twice is once
    expect(await cache.evict()).toEqual({ removed: [], kept: 2 });
    second();
    expect(await cache.evict()).toEqual({ removed: [path("github.com/octo/calc", 1)], kept: 1 });
  });

  it("holding a snapshot makes it the most recently used", async () => {
    const { root, path } = cacheWith([
      { key: "github.com/octo/calc", n: 1, usedAt: 1_000 },
      { key: "github.com/octo/calc", n: 2, usedAt: 2_000 },
    ]);
    const cache = new SnapshotCache({ cacheRoot: root, maxSnapshots: 1 });
    (await cache.hold(path("github.com/octo/calc", 1)))();
    expect((await cache.evict()).removed).toEqual([path("github.com/octo/calc", 2)]);
  });

  it("skips eviction while a snapshot is being materialized, which then comes out held", async () => {
    const { root, path } = cacheWith([
      { key: "github.com/octo/calc", n: 1, usedAt: 1_000 },
      { key: "github.com/octo/calc", n: 2, usedAt: 2_000 },
    ]);
    const cache = new SnapshotCache({ cacheRoot: root, maxSnapshots: 1 });
    let found: (snapshot: { root: string }) => void = () => {};
    const taking = cache.materialize(() => new Promise<{ root: string }>((resolve) => (found = resolve)));

    expect(await cache.evict()).toEqual({ removed: [], kept: 0, deferred: true });
    await new Promise((r) => setImmediate(r)); // the materialize reaches `get`
    found({ root: path("github.com/octo/calc", 1) });
    const { snapshot, release } = await taking;
    utimesSync(snapshot.root, 1, 1); // the least recently used, and held
    expect(await cache.evict()).toEqual({ removed: [], kept: 2 });
    release();
    expect((await cache.evict()).removed).toEqual([snapshot.root]);
  });

  it("a materialize waits for an eviction under way before it looks for its snapshot", async () => {
    const { root, path } = cacheWith([
      { key: "github.com/octo/calc", n: 1, usedAt: 1_000 },
      { key: "github.com/octo/calc", n: 2, usedAt: 2_000 },
    ]);
    const cache = new SnapshotCache({ cacheRoot: root, maxSnapshots: 1 });
    let evicted = false;
    const eviction = cache.evict().then((result) => {
      evicted = true;
      return result;
    });
    const taken = await cache.materialize(async () => {
      expect(evicted).toBe(true);
      return { root: path("github.com/octo/calc", 1), present: existsSync(path("github.com/octo/calc", 1)) };
    });
    expect((await eviction).removed).toEqual([path("github.com/octo/calc", 1)]);
    expect(taken.snapshot.present).toBe(false); // it would materialize it again, whole
  });

  it("an empty or missing cache evicts nothing", async () => {
    const root = mkdtempSync(join(tmpdir(), "autofix-snapshots-"));
    dirs.push(root);
    expect(await new SnapshotCache({ cacheRoot: root, maxSnapshots: 1 }).evict()).toEqual({
      removed: [],
      kept: 0,
    });
  });
});

describe("AUTOFIX_CACHE_MAX_SNAPSHOTS", () => {
  it("defaults when unset or empty, and takes a whole number", () => {
    expect(maxSnapshotsFromEnv(readEnvironment({}))).toBe(DEFAULT_MAX_SNAPSHOTS);
    expect(maxSnapshotsFromEnv(readEnvironment({ AUTOFIX_CACHE_MAX_SNAPSHOTS: " " }))).toBe(
      DEFAULT_MAX_SNAPSHOTS,
    );
    expect(maxSnapshotsFromEnv(readEnvironment({ AUTOFIX_CACHE_MAX_SNAPSHOTS: "3" }))).toBe(3);
  });

  it.each(["0", "2.5", "many"])("refuses %s, naming the variable", (value) => {
    let caught: unknown;
    try {
      maxSnapshotsFromEnv(readEnvironment({ AUTOFIX_CACHE_MAX_SNAPSHOTS: value }));
    } catch (error) {
      caught = error;
    }
    expect(isAutofixError(caught) && caught.code).toBe("workspace.cache_limit_invalid");
    expect(String((caught as Error).message)).toContain(`AUTOFIX_CACHE_MAX_SNAPSHOTS=${value}`);
  });
});
