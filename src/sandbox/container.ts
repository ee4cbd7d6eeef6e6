import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { readSingleFile, SANDBOX_UID } from "./archive.ts";
import {
  engineQuota,
  forgetEngineQuota,
  isStorageOptRefusal,
  mentionsQuotaStop,
  storageOptions,
} from "./disk-quota.ts";
import { watchDisk, wroteMoreThan } from "./disk-watch.ts";
import { translateDockerError } from "./docker-errors.ts";
import { CappedOutput } from "./output.ts";
import type { RunResult, SandboxLimits, SetupNetwork } from "./sandbox.ts";
import { DEFAULT_LIMITS, WORKDIR } from "./sandbox.ts";

/** Everything about one container, decided before it is created. */
export type ContainerPlan = {
  image: string;
  command: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  limits: SandboxLimits;
  network: SetupNetwork;
  /** Read-only host files (only the operator's CA bundle, for setup with network). */
  readOnlyBinds?: string[];
  /** Tar archives extracted at `/` before start (the workspace, then overlay files). */
  uploads: Array<() => Readable | Buffer | Promise<Buffer>>;
  collect: string[];
};

const COLLECT_MAX_BYTES = 32 * 1024 ** 2;
const OUTPUT_DRAIN_MS = 2_000;

/**
 * Create, fill, start and wait for one container; kill it at the timeout or the output cap; read
 * back the collected files. `afterExit` runs while the stopped container still exists (prepare
 * commits it there). The container is always removed, whatever happened.
 */
export async function runContainer(
  docker: Docker,
  plan: ContainerPlan,
  afterExit?: AfterExit,
): Promise<RunResult> {
  const ipv6 = plan.network === "none" && !withoutIpv6.has(docker);
  try {
    return await runOnce(docker, plan, ipv6, afterExit);
  } catch (error) {
    if (!ipv6 || !(error instanceof Error) || !/disable_ipv6/.test(error.message)) throw error;
    withoutIpv6.add(docker);
    return runOnce(docker, plan, false, afterExit);
  }
}

type AfterExit = (container: Docker.Container, result: RunResult) => Promise<void>;

/** Engines whose kernel has no IPv6 refuse the loopback sysctl: their containers run without it. */
const withoutIpv6 = new WeakSet<Docker>();

async function runOnce(
  docker: Docker,
  plan: ContainerPlan,
  ipv6: boolean,
  afterExit: AfterExit | undefined,
): Promise<RunResult> {
  const { container, quota } = await createContainer(docker, plan, ipv6).catch((error: unknown) => {
    throw translateDockerError(error, plan.image);
  });
  try {
    for (const upload of plan.uploads) await container.putArchive(await upload(), { path: "/" });
    const result = await startAndWait(container, plan, quota);
    if (afterExit) await afterExit(container, result);
    return result;
  } catch (error) {
    throw translateDockerError(error, plan.image);
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** The container, and whether the engine holds it to a disk quota. */
async function createContainer(
  docker: Docker,
  plan: ContainerPlan,
  ipv6: boolean,
): Promise<{ container: Docker.Container; quota: boolean }> {
  const storage = await storageFor(docker, plan);
  try {
    return {
      container: await docker.createContainer(createOptions(plan, storage, ipv6)),
      quota: storage !== undefined,
    };
  } catch (error) {
    if (storage === undefined || !isStorageOptRefusal(error)) throw error;
    forgetEngineQuota(docker);
    return { container: await docker.createContainer(createOptions(plan, undefined, ipv6)), quota: false };
  }
}

async function storageFor(docker: Docker, plan: ContainerPlan): Promise<{ size: string } | undefined> {
  const quota = await engineQuota(docker);
  if (quota === "none") return undefined;
  // A missing image is reported by createContainer, in its own words.
  const image = await docker
    .getImage(plan.image)
    .inspect()
    .catch(() => null);
  return image === null ? undefined : storageOptions(quota, image.Size, diskLimit(plan.limits));
}

function createOptions(
  plan: ContainerPlan,
  storage: { size: string } | undefined,
  ipv6: boolean,
): Docker.ContainerCreateOptions {
  const { limits } = plan;
  const diskBytes = diskLimit(limits);
  return {
    Image: plan.image,
    Cmd: plan.command,
    User: `${SANDBOX_UID}:${SANDBOX_UID}`,
    WorkingDir: WORKDIR,
    Env: Object.entries(plan.env).map(([key, value]) => `${key}=${value}`),
    Labels: plan.labels,
    Tty: false,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: false,
    // NetworkMode "none" alone: only lo. NetworkDisabled would also leave /etc/hosts empty, and a
    // test's server on "localhost" would fail with EAI_AGAIN (shields 2017).
    HostConfig: {
      NetworkMode: plan.network,
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pids,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Init: true,
      Binds: plan.readOnlyBinds ?? [],
      // Docker turns IPv6 off in a container without an IPv6 network, so ::1 is missing from lo,
      // where a developer's machine has it (node_redis's tests bind 127.0.0.1 and ::1).
      ...(ipv6 ? { Sysctls: { "net.ipv6.conf.lo.disable_ipv6": "0" } } : {}),
      // No one file past the disk limit (the write fails there); the watch in disk-watch.ts sees the total.
      Ulimits: [{ Name: "fsize", Soft: diskBytes, Hard: diskBytes }],
      // The engine's own quota where its storage driver has one (disk-quota.ts): a hard bound.
      ...(storage === undefined ? {} : { StorageOpt: storage }),
      AutoRemove: false,
      // Output reaches us through attach; the engine need not store megabytes of it.
      LogConfig: { Type: "none", Config: {} },
    },
  };
}

async function startAndWait(
  container: Docker.Container,
  plan: ContainerPlan,
  quota: boolean,
): Promise<RunResult> {
  let outputCapped = false;
  let timedOut = false;
  let diskExceeded = false;
  const kill = () => container.kill({ signal: "SIGKILL" }).catch(() => undefined);
  const output = new CappedOutput(plan.limits.outputBytes, () => {
    outputCapped = true;
    void kill();
  });
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  container.modem.demuxStream(stream, output.stdout, output.stderr);
  const streamEnded = new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", () => resolve());
  });

  const started = performance.now();
  await container.start();
  const timer = setTimeout(() => {
    timedOut = true;
    void kill();
  }, plan.limits.timeoutMs);
  const watch = watchDisk(container, diskLimit(plan.limits), () => {
    diskExceeded = true;
    void kill();
  });
  let waited: { StatusCode?: number };
  try {
    waited = (await container.wait()) as { StatusCode?: number };
  } finally {
    clearTimeout(timer);
    watch.stop();
  }
  // The watch may not have polled again before the quota stopped the writer, who then exited.
  if (!diskExceeded && !timedOut && !outputCapped) {
    diskExceeded =
      (quota && mentionsQuotaStop(`${output.text("stdout")}\n${output.text("stderr")}`)) ||
      (await wroteMoreThan(container, diskLimit(plan.limits)));
  }
  const durationMs = Math.round(performance.now() - started);
  await Promise.race([streamEnded, new Promise((resolve) => setTimeout(resolve, OUTPUT_DRAIN_MS))]);
  (stream as unknown as Readable).destroy?.();

  const state = (await container.inspect()).State;
  const collected: Record<string, string> = {};
  for (const file of plan.collect) {
    const content = await container
      .getArchive({ path: file })
      .then((tar) => readSingleFile(tar, COLLECT_MAX_BYTES))
      .catch(() => null);
    if (content !== null) collected[file] = content;
  }
  return {
    exitCode: state.ExitCode ?? waited.StatusCode ?? -1,
    timedOut,
    oomKilled: state.OOMKilled === true,
    outputCapped,
    durationMs,
    stdout: output.text("stdout"),
    stderr: diskExceeded
      ? `${output.text("stderr")}\nautofix: killed: wrote more than the sandbox's disk limit (${diskLimit(plan.limits)} bytes)\n`
      : output.text("stderr"),
    truncated: output.truncated,
    collected,
    diskExceeded,
  };
}

function diskLimit(limits: SandboxLimits): number {
  return limits.diskBytes ?? DEFAULT_LIMITS.diskBytes ?? Number.MAX_SAFE_INTEGER;
}
