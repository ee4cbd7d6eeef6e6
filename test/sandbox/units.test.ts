import Docker from "dockerode";
import { extract } from "tar-stream";
import { describe, expect, it } from "vitest";
import { packFiles } from "../../src/sandbox/archive.ts";
import { translateDockerError } from "../../src/sandbox/docker-errors.ts";
import { DockerSandbox, setupImageRepo } from "../../src/sandbox/docker-sandbox.ts";
import { DockerUnreachableError, ImageNotFoundError, SandboxInputError } from "../../src/sandbox/errors.ts";
import { isOrphan, ownerLabels } from "../../src/sandbox/labels.ts";
import { CappedOutput } from "../../src/sandbox/output.ts";
import { limitsFromConfig, parseMemory } from "../../src/sandbox/sandbox.ts";
import { effectiveSetupNetwork, settingsFromEnv } from "../../src/sandbox/settings.ts";

describe("limits and settings", () => {
  it("parses memory sizes and rejects nonsense", () => {
    expect(parseMemory("512m")).toBe(512 * 1024 ** 2);
    expect(parseMemory("1.5G")).toBe(1.5 * 1024 ** 3);
    expect(parseMemory("100k")).toBe(102_400);
    expect(parseMemory("4096")).toBe(4096);
    expect(() => parseMemory("lots")).toThrow(SandboxInputError);
    expect(limitsFromConfig({ memory: "1g", cpus: 2, pids: 100, testTimeoutSeconds: 30 })).toMatchObject({
      memoryBytes: 1024 ** 3,
      cpus: 2,
      pids: 100,
      timeoutMs: 30_000,
    });
  });

  it("lets setup have a network only when both the repo and the operator allow it", () => {
    expect(settingsFromEnv({})).toMatchObject({ setupNetwork: "none", caBundle: null });
    const host = settingsFromEnv({ AUTOFIX_SANDBOX_SETUP_NETWORK: "host" });
    expect(effectiveSetupNetwork(true, host)).toBe("host");
    expect(effectiveSetupNetwork(false, host)).toBe("none");
    expect(effectiveSetupNetwork(true, settingsFromEnv({}))).toBe("none");
    expect(() => settingsFromEnv({ AUTOFIX_SANDBOX_SETUP_NETWORK: "wide-open" })).toThrow(SandboxInputError);
    expect(() => settingsFromEnv({ AUTOFIX_SANDBOX_CA_BUNDLE: "/no/such/ca.pem" })).toThrow(/does not exist/);
  });

  it("names setup images by repository in Docker's alphabet", () => {
    expect(setupImageRepo("Owner/Repo_Name")).toBe("autofix-setup/owner-repo_name");
    expect(setupImageRepo("!!!")).toBe("autofix-setup/repo");
  });
});

describe("orphans", () => {
  it("are containers of dead local processes or past their deadline", () => {
    const mine = ownerLabels("run-1", Date.now() + 60_000);
    expect(isOrphan(mine, Date.now())).toBe(false);
    expect(isOrphan({ ...mine, "autofix.pid": "4194000" }, Date.now())).toBe(true);
    expect(
      isOrphan({ ...mine, "autofix.host": "another-machine", "autofix.pid": "4194000" }, Date.now()),
    ).toBe(false);
    expect(isOrphan(mine, Date.now() + 3_600_000)).toBe(true);
  });
});

describe("archives", () => {
  it("puts files under /work or at absolute paths, owned by the sandbox user, and refuses escapes", async () => {
    const tar = await packFiles([
      { path: "src/a.py", content: "A" },
      { path: "/tmp/autofix-reports/r.cjs", content: new Uint8Array([66]) },
    ]);
    const entries: Array<{ name: string; uid: number | undefined; type: string | null | undefined }> = [];
    const extractor = extract();
    extractor.on("entry", (header, stream, next) => {
      entries.push({ name: header.name, uid: header.uid, type: header.type });
      stream.on("end", next);
      stream.resume();
    });
    const done = new Promise<void>((resolve) => extractor.on("finish", () => resolve()));
    extractor.end(tar);
    await done;
    expect(entries.map((e) => e.name)).toEqual([
      "tmp/autofix-reports/",
      "work/src/",
      "work/src/a.py",
      "tmp/autofix-reports/r.cjs",
    ]);
    expect(entries.every((e) => e.uid === 1000)).toBe(true);
    await expect(packFiles([{ path: "../../etc/passwd", content: "x" }])).rejects.toThrow(SandboxInputError);
  });
});

describe("output cap", () => {
  it("keeps output up to the cap and signals the overflow once", () => {
    let overflows = 0;
    const output = new CappedOutput(10, () => overflows++);
    output.stdout.write(Buffer.from("12345"));
    output.stderr.write(Buffer.from("abc"));
    output.stdout.write(Buffer.from("6789"));
    output.stdout.write(Buffer.from("more"));
    expect(output.text("stdout")).toBe("1234567");
    expect(output.text("stderr")).toBe("abc");
    expect(output.truncated).toBe(true);
    expect(overflows).toBe(1);
  });
});

describe("docker errors", () => {
  it("says when the engine does not answer, with the script that starts it", async () => {
    const sandbox = new DockerSandbox({
      docker: new Docker({ socketPath: "/nonexistent/docker.sock" }),
      settings: { setupNetwork: "none", caBundle: null },
    });
    const error = await sandbox.cleanupOrphans().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnreachableError);
    expect((error as DockerUnreachableError).hint).toContain("scripts/docker/ensure-dockerd.sh");
    const connect = await DockerSandbox.connect({
      docker: new Docker({ socketPath: "/nonexistent/docker.sock" }),
      settings: { setupNetwork: "none", caBundle: null },
    }).catch((e: unknown) => e);
    expect(connect).toBeInstanceOf(DockerUnreachableError);
  });

  it("turns a 404 for an image into ImageNotFoundError and passes other errors on", () => {
    const notFound = translateDockerError({ statusCode: 404, message: "No such image: x:1" }, "x:1");
    expect(notFound).toBeInstanceOf(ImageNotFoundError);
    const other = { statusCode: 500, message: "boom" };
    expect(translateDockerError(other, "x:1")).toBe(other);
  });
});
