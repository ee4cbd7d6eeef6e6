import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerSandbox } from "../../src/sandbox/docker-sandbox.ts";
import { dockerGate } from "./docker-gate.ts";

const PYTHON = "autofix/python:3";
const FIXTURE = path.resolve("test/fixtures/sandbox/py-calc");
const gate = await dockerGate("sandbox isolation tests");

/** Every path under `dir` with its mode and content hash: any change to the checkout changes it. */
function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      const stat = statSync(full);
      hash.update(`${path.relative(dir, full)} ${stat.mode} ${stat.size}\n`);
      if (stat.isDirectory()) walk(full);
      else hash.update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/** A loopback-and-host-address TCP server that counts the connections it accepts. */
async function countingServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.on("error", () => undefined);
    socket.end("hello\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, port: address.port, connections: () => count };
}

const PROBE = (targets: string[]) => `
import json, socket
results = {}
for target in ${JSON.stringify(targets)}:
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        results[target] = "connected"
    except OSError as error:
        results[target] = type(error).__name__ + ": " + str(error)
print(json.dumps(results))
`;

describe.skipIf(gate.skip)("sandbox isolation (real Docker)", () => {
  let sandbox: DockerSandbox;
  beforeAll(async () => {
    sandbox = await DockerSandbox.connect();
  });
  afterAll(async () => {
    if (sandbox) expect(await sandbox.leftovers()).toEqual([]);
  });

  it("resolves localhost and has ::1 on its loopback, where a test's server listens", async () => {
    const script = [
      "import socket",
      "for host, family in [('localhost', socket.AF_INET), ('::1', socket.AF_INET6)]:",
      "    server = socket.create_server((host, 0), family=family)",
      "    socket.create_connection((host, server.getsockname()[1]), timeout=2).close()",
      "print(socket.gethostbyname('localhost'))",
    ].join("\n");
    const result = await sandbox.run({
      image: PYTHON,
      command: ["python3", "-c", script],
      limits: { timeoutMs: 30_000 },
    });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("127.0.0.1");
  });

  it("cannot reach a host port nor a public address, while a host-network control can", async () => {
    const { server, port, connections } = await countingServer();
    try {
      const hostAddresses = Object.values(networkInterfaces())
        .flat()
        .filter((entry) => entry !== undefined && entry.family === "IPv4")
        .map((entry) => `${entry?.address}:${port}`);
      // 192.0.2.1 (TEST-NET-1) stands for "anywhere outside": with no interface but lo, no packet leaves.
      const targets = [...hostAddresses, "192.0.2.1:80"];
      const result = await sandbox.run({
        image: PYTHON,
        command: [
          "python3",
          "-c",
          `${PROBE(targets)}\nimport os; print(sorted(os.listdir('/sys/class/net')))`,
        ],
        limits: { timeoutMs: 30_000 },
      });
      expect(result.exitCode).toBe(0);
      const [probeLine, interfaces] = result.stdout.trim().split("\n");
      const probe = JSON.parse(probeLine ?? "{}") as Record<string, string>;
      expect(Object.keys(probe).sort()).toEqual([...targets].sort());
      for (const target of targets) expect(probe[target], target).not.toBe("connected");
      expect(interfaces).toBe("['lo']");
      expect(connections()).toBe(0);

      // Control: the same probe with the host's network (what a setup step may get) does connect,
      // so the assertions above can fail.
      const open = new DockerSandbox({ settings: { setupNetwork: "host", caBundle: null } });
      const control = await open.prepare({
        repoKey: "isolation-control",
        commit: `control-${Date.now()}-${Math.random()}`,
        image: PYTHON,
        setup: `python3 -c '${PROBE([`127.0.0.1:${port}`]).replaceAll("'", '"')}'`,
        workspaceDir: FIXTURE,
        network: true,
      });
      expect(control.setup.output).toContain(`"127.0.0.1:${port}": "connected"`);
      expect(connections()).toBe(1);
      await open.docker.getImage(control.image).remove({ force: true });
    } finally {
      server.close();
    }
  });

  it("stops a fork bomb at the process limit", async () => {
    // Bounded probe: tries 500 forks and reports how many succeeded.
    const counted = await sandbox.run({
      image: PYTHON,
      command: [
        "python3",
        "-c",
        "import os, time\nn = 0\nfor _ in range(500):\n    try:\n        pid = os.fork()\n    except OSError:\n        break\n    if pid == 0:\n        time.sleep(30)\n        os._exit(0)\n    n += 1\nprint(n)",
      ],
      limits: { pids: 64, timeoutMs: 30_000 },
    });
    const forks = Number(counted.stdout.trim());
    const seen = JSON.stringify({ ...counted, stderr: counted.stderr.slice(0, 2_000) });
    expect(forks, seen).toBeGreaterThan(0);
    expect(forks, seen).toBeLessThan(64);

    // A real fork bomb, then a busy loop of shell builtins. Under the limit either the top shell
    // dies of a failed fork (dash treats that as fatal) or the loop runs into the timeout; both
    // stop the bomb, and the run ends in bounded time with its processes gone with the container.
    const bomb = await sandbox.run({
      image: PYTHON,
      command: "bomb() { bomb | bomb & }; bomb; while :; do :; done",
      limits: { pids: 64, timeoutMs: 5_000 },
    });
    const bombSeen = JSON.stringify({ ...bomb, stdout: "", stderr: bomb.stderr.slice(0, 500) });
    expect(bomb.timedOut || bomb.exitCode !== 0, bombSeen).toBe(true);
    expect(bomb.durationMs).toBeLessThan(20_000);
  });

  it("reports allocating past the memory limit as killed for memory", async () => {
    const result = await sandbox.run({
      image: PYTHON,
      command: ["python3", "-c", "blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))"],
      limits: { memoryBytes: 128 * 1024 ** 2, timeoutMs: 60_000 },
    });
    expect(result.oomKilled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(137);
  });

  it("ends an endless loop at the timeout and says so", async () => {
    const result = await sandbox.run({
      image: PYTHON,
      command: "while :; do :; done",
      limits: { timeoutMs: 1_500 },
    });
    expect(result.timedOut).toBe(true);
    expect(result.oomKilled).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(1_500);
    expect(result.durationMs).toBeLessThan(20_000);
  });

  it("stops a command that writes without end at the output cap", async () => {
    const result = await sandbox.run({
      image: PYTHON,
      command: "yes 'all work and no play'",
      limits: { outputBytes: 256 * 1024, timeoutMs: 60_000 },
    });
    expect(result.outputCapped).toBe(true);
    expect(result.truncated).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.stdout.length + result.stderr.length).toBeLessThanOrEqual(256 * 1024);
    expect(result.stdout.startsWith("all work and no play\n")).toBe(true);
  });

  it("keeps megabytes of output below the cap whole", async () => {
    const result = await sandbox.run({
      image: PYTHON,
      command: [
        "python3",
        "-c",
        "import sys\nfor i in range(30000): sys.stdout.write('%08d %s\\n' % (i, 'x' * 40))",
      ],
      limits: { outputBytes: 4 * 1024 ** 2 },
    });
    expect(result.outputCapped).toBe(false);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(30_000);
    expect(lines[29_999]?.startsWith("00029999 ")).toBe(true);
  });

  it("leaves the host checkout byte for byte unchanged, whatever the command does to its copy", async () => {
    const before = hashTree(FIXTURE);
    const result = await sandbox.run({
      image: PYTHON,
      workspaceDir: FIXTURE,
      command:
        "echo evil >> calc/ops.py && rm -rf tests && chmod 000 conftest.py && touch new-file && mkdir d && ls /work",
    });
    expect(result.exitCode).toBe(0);
    // The commands really changed the copy inside...
    expect(result.stdout.split("\n")).toEqual(
      expect.arrayContaining(["calc", "conftest.py", "d", "new-file"]),
    );
    expect(result.stdout).not.toMatch(/^tests$/m);
    // ...and not the host.
    expect(hashTree(FIXTURE)).toBe(before);
  });

  it("runs as a non-root user without capabilities and without the host's environment", async () => {
    process.env.AUTOFIX_TEST_SECRET_CANARY = "canary-7f3a";
    try {
      const result = await sandbox.run({
        image: PYTHON,
        command: "id -u; env; grep CapEff /proc/self/status",
        env: { GIVEN: "yes" },
      });
      expect(result.stdout.split("\n")[0]).toBe("1000");
      expect(result.stdout).not.toContain("canary-7f3a");
      expect(result.stdout).toContain("GIVEN=yes");
      expect(result.stdout).toMatch(/CapEff:\s+0+$/m);
    } finally {
      delete process.env.AUTOFIX_TEST_SECRET_CANARY;
    }
  });

  it("removes orphans of dead processes at start-up and leaves live ones alone", async () => {
    const docker = sandbox.docker;
    const labels = (pid: number) => ({
      autofix: "1",
      "autofix.run": `orphan-test-${pid}`,
      "autofix.host": hostname(),
      "autofix.pid": String(pid),
      "autofix.deadline": String(Date.now() + 600_000),
    });
    // A pid that surely belongs to no process: past the kernel's pid_max default range.
    const deadPid = 4_194_000;
    const orphan = await docker.createContainer({ Image: PYTHON, Cmd: ["true"], Labels: labels(deadPid) });
    const live = await docker.createContainer({ Image: PYTHON, Cmd: ["true"], Labels: labels(process.pid) });
    try {
      await DockerSandbox.connect();
      const remaining = await docker.listContainers({ all: true, filters: { label: ["autofix=1"] } });
      const ids = remaining.map((info) => info.Id);
      expect(ids).not.toContain(orphan.id);
      expect(ids).toContain(live.id);
    } finally {
      await live.remove({ force: true });
      await orphan.remove({ force: true }).catch(() => undefined);
    }
  });
});
