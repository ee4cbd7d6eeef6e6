import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerSandbox, setupImageRepo } from "../../src/sandbox/docker-sandbox.ts";
import { ImageNotFoundError, SetupFailedError } from "../../src/sandbox/errors.ts";
import { dockerGate } from "./docker-gate.ts";

const PYTHON = "autofix/python:3";
const HOST_CA = "/etc/ssl/certs/ca-certificates.crt";
const FIXTURE = path.resolve("test/fixtures/sandbox/py-calc");
const gate = await dockerGate("sandbox prepare tests");
const repoKey = `test/prepare-${process.pid}-${Date.now()}`;

describe.skipIf(gate.skip)("prepare: setup once per base commit (real Docker)", () => {
  let sandbox: DockerSandbox;
  beforeAll(async () => {
    sandbox = await DockerSandbox.connect({ settings: { setupNetwork: "none", caBundle: null } });
  });
  afterAll(async () => {
    if (!sandbox) return;
    expect(await sandbox.leftovers()).toEqual([]);
    const images = await sandbox.docker.listImages({
      filters: { reference: [`${setupImageRepo(repoKey)}:*`] },
    });
    for (const image of images) await sandbox.docker.getImage(image.Id).remove({ force: true });
  });

  it("runs setup once, commits it, and every run starts from it", async () => {
    const spec = {
      repoKey,
      commit: "c0ffee",
      image: PYTHON,
      setup: "echo installing; date +%s%N > .setup-stamp",
      workspaceDir: FIXTURE,
      network: false,
    };
    const first = await sandbox.prepare(spec);
    expect(first.cached).toBe(false);
    expect(first.setup.ran).toBe(true);
    expect(first.setup.output).toContain("installing");
    const second = await sandbox.prepare(spec);
    expect(second).toMatchObject({ image: first.image, cached: true, setup: { ran: false } });

    const stamp = (image: string) => sandbox.run({ image, command: "cat .setup-stamp; ls calc; id -u" });
    const [a, b] = [await stamp(first.image), await stamp(first.image)];
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout); // the stamp written once at setup, not per run
    expect(a.stdout).toContain("ops.py");
    expect(a.stdout.trim().endsWith("1000")).toBe(true);

    const otherCommit = await sandbox.prepare({ ...spec, commit: "beef" });
    const otherSetup = await sandbox.prepare({ ...spec, setup: "true" });
    expect(new Set([first.image, otherCommit.image, otherSetup.image]).size).toBe(3);
  });

  it("overlays files on a prepared image without touching it", async () => {
    const prepared = await sandbox.prepare({
      repoKey,
      commit: "overlay",
      image: PYTHON,
      setup: null,
      workspaceDir: FIXTURE,
      network: false,
    });
    const patched = await sandbox.run({
      image: prepared.image,
      files: [{ path: "calc/ops.py", content: "def sub(a, b):\n    return a - b\n" }],
      command: ["python3", "-c", "from calc.ops import sub; print(sub(5, 3))"],
    });
    expect(patched.stdout.trim()).toBe("2");
    const original = await sandbox.run({
      image: prepared.image,
      command: ["python3", "-c", "from calc.ops import sub; print(sub(5, 3))"],
    });
    expect(original.stdout.trim()).toBe("-2");
  });

  it("fails setup with its output in the error", async () => {
    const failing = sandbox.prepare({
      repoKey,
      commit: "broken",
      image: PYTHON,
      setup: "echo resolving dependencies; echo 'E: package left-pad-9000 not found' >&2; exit 3",
      workspaceDir: FIXTURE,
      network: false,
    });
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupFailedError);
    const message = (error as SetupFailedError).message;
    expect(message).toContain("exited with 3");
    expect(message).toContain("left-pad-9000 not found");
    expect((error as SetupFailedError).hint).toContain("setupNetwork");
  });

  it("gives setup no network when the operator has not allowed one, even if the repo asks", async () => {
    const prepared = await sandbox.prepare({
      repoKey,
      commit: "no-net",
      image: PYTHON,
      setup: "ls /sys/class/net",
      workspaceDir: FIXTURE,
      network: true,
    });
    expect(prepared.setup.network).toBe("none");
    expect(prepared.setup.output.trim()).toBe("lo");
  });

  // Reaches the real npm registry (the one outside service this machine may use), through the
  // operator's host network and CA bundle; the prepared image keeps neither. Tests stay off the
  // network by default, so this check of the admin option is opt-in: AUTOFIX_TEST_REGISTRY=1.
  it.skipIf(!existsSync(HOST_CA) || process.env.AUTOFIX_TEST_REGISTRY !== "1")(
    "lets an allowed setup reach the npm registry with the operator's CA bundle",
    async () => {
      const open = new DockerSandbox({ settings: { setupNetwork: "host", caBundle: HOST_CA } });
      const prepared = await open.prepare({
        repoKey,
        commit: `registry-${Date.now()}`,
        image: "autofix/node:24",
        setup: "npm view is-number@7.0.0 version",
        workspaceDir: FIXTURE,
        network: true,
      });
      expect(prepared.setup).toMatchObject({ ran: true, network: "host" });
      expect(prepared.setup.output.trim()).toBe("7.0.0");
      const after = await open.run({ image: prepared.image, command: "env; ls /sys/class/net" });
      expect(after.stdout).not.toMatch(/NODE_EXTRA_CA_CERTS|SSL_CERT_FILE/);
      expect(after.stdout.trim().split("\n").pop()).toBe("lo");
    },
  );

  it("names a missing image, with the way to build it", async () => {
    const missing = "autofix/does-not-exist:7";
    const operator = new DockerSandbox({
      settings: { setupNetwork: "none", caBundle: null, images: [missing, "someone/else:1"] },
    });
    const byRun = await operator.run({ image: missing, command: "true" }).catch((e: unknown) => e);
    expect(byRun).toBeInstanceOf(ImageNotFoundError);
    expect((byRun as ImageNotFoundError).message).toContain(missing);
    expect((byRun as ImageNotFoundError).hint).toContain("images/build.sh");
    const byPrepare = await operator
      .prepare({
        repoKey,
        commit: "x",
        image: "someone/else:1",
        setup: null,
        workspaceDir: FIXTURE,
        network: false,
      })
      .catch((e: unknown) => e);
    expect(byPrepare).toBeInstanceOf(ImageNotFoundError);
    expect((byPrepare as ImageNotFoundError).message).toContain("someone/else:1");
  });
});
