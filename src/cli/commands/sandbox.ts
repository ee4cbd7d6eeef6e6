import path from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import type { Environment } from "../../config/environment.ts";
import { DEFAULT_IMAGES, detectFramework } from "../../repo-tests/detect.ts";
import { listRepoFiles } from "../../repo-tests/discover.ts";
import { DockerSandbox } from "../../sandbox/docker-sandbox.ts";
import { workspaceFingerprint } from "../../sandbox/fingerprint.ts";
import { readSandboxConfig } from "../../sandbox/repo-config.ts";
import { limitsFromConfig, type SandboxLimits } from "../../sandbox/sandbox.ts";
import { sandboxSettings } from "../../sandbox/settings.ts";
import { type Interruption, withInterruptions } from "../interrupt.ts";
import { imageReference, memoryBytes, repoDirectory, timeoutMs } from "../option-checks.ts";
import { registerTestCommand } from "./test.ts";

/** `autofix sandbox run` and `autofix test`. */
export function registerSandboxCommands(program: Command, environment: Environment): void {
  const sandbox = program.command("sandbox").description("Run commands in the Docker sandbox.");
  sandbox
    .command("run")
    .description(
      "Run a command on a copy of the repository inside the sandbox; exits with the command's code.",
    )
    .requiredOption("--repo <path>", "the repository checkout (copied in, never mounted)")
    .option("--image <image>", "image (default: sandbox.image, else chosen by the repo's language)")
    .option("--timeout <seconds>", "wall-clock limit", positiveNumber)
    .option("--memory <size>", "memory limit, like 512m or 2g")
    .option("--no-setup", "skip the repo config's sandbox.setup")
    .option("--json", "print {exitCode, timedOut, oomKilled, durationMs, stdout, stderr}")
    .argument("<command...>", "the command (after --)")
    .action(async (command: string[], options: SandboxRunOptions) => {
      process.exitCode = await withInterruptions((interruption) =>
        sandboxRun(command, options, interruption, environment),
      );
    });
  sandbox
    .command("prune")
    .description("Remove the setup images `prepare` committed, and containers left by dead processes.")
    .option("--older-than <hours>", "only images created this many hours ago or more", positiveNumber, 24)
    .action(async (options: { olderThan: number }) => {
      const docker = await DockerSandbox.connect({ settings: sandboxSettings(environment) });
      const images = await docker.pruneSetupImages(options.olderThan * 3_600_000);
      process.stdout.write(
        `removed ${images.length} setup image(s)${images.length ? `: ${images.join(", ")}` : ""}\n`,
      );
    });
  registerTestCommand(program, environment);
}

type SandboxRunOptions = {
  repo: string;
  image?: string;
  timeout?: number;
  memory?: string;
  setup: boolean;
  json?: boolean;
};

async function sandboxRun(
  command: string[],
  options: SandboxRunOptions,
  interruption: Interruption,
  environment: Environment,
): Promise<number> {
  // Every option is checked before Docker is called: the engine's own errors are raw HTTP 400s.
  const repoDir = repoDirectory(options.repo);
  const config = readSandboxConfig(repoDir);
  const limits: SandboxLimits = {
    ...limitsFromConfig(config),
    ...(options.timeout === undefined ? {} : { timeoutMs: timeoutMs(options.timeout) }),
    ...(options.memory === undefined ? {} : { memoryBytes: memoryBytes(options.memory) }),
  };
  const image =
    options.image === undefined ? (config.image ?? guessImage(repoDir)) : imageReference(options.image);
  const sandbox = await DockerSandbox.connect({ settings: sandboxSettings(environment) });
  interruption.onInterrupt(() => sandbox.stopAll());
  interruption.signal.throwIfAborted();
  const prepared = await sandbox.prepare({
    repoKey: `local/${path.basename(repoDir)}`,
    commit: workspaceFingerprint(repoDir),
    image,
    setup: options.setup ? config.setup : null,
    workspaceDir: repoDir,
    network: config.setupNetwork,
    limits: { ...limits, timeoutMs: config.setupTimeoutSeconds * 1000 },
  });
  const result = await sandbox.run({
    image: prepared.image,
    command: command.length === 1 ? (command[0] ?? "") : command,
    limits,
  });
  if (options.json) {
    const { exitCode, timedOut, oomKilled, durationMs, stdout, stderr, outputCapped, truncated } = result;
    process.stdout.write(
      `${JSON.stringify({ exitCode, timedOut, oomKilled, durationMs, stdout, stderr, outputCapped, truncated })}\n`,
    );
  } else {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    if (result.timedOut) process.stderr.write(`autofix: killed at the ${limits.timeoutMs / 1000}s timeout\n`);
    if (result.oomKilled) process.stderr.write("autofix: killed for using more than the memory limit\n");
    if (result.outputCapped)
      process.stderr.write(`autofix: killed after ${limits.outputBytes} bytes of output\n`);
  }
  return result.exitCode;
}

function guessImage(repoDir: string): string {
  const detected = detectFramework(repoDir);
  if (detected) return detected.image;
  const files = listRepoFiles(repoDir);
  if (files.includes("package.json")) return DEFAULT_IMAGES.javascript;
  if (files.some((file) => file.endsWith(".py"))) return DEFAULT_IMAGES.python;
  return "autofix/debian:bookworm";
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`Expected a positive number, not '${text}'.`);
  return value;
}
