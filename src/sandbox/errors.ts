import { AutofixError } from "../errors.ts";

const BUILD_HINT =
  "Build the sandbox images with `bash images/build.sh` (after scripts/docker/ensure-dockerd.sh).";

export class DockerUnreachableError extends AutofixError {
  constructor(detail: string, cause?: unknown) {
    super("sandbox_docker_unreachable", `The Docker engine does not answer: ${detail}`, {
      hint: "Start it with `bash scripts/docker/ensure-dockerd.sh` (as root), or point DOCKER_HOST at one.",
      cause,
    });
  }
}

export class ImageNotFoundError extends AutofixError {
  constructor(image: string) {
    super("sandbox_image_not_found", `The sandbox image '${image}' does not exist on this Docker engine.`, {
      hint: image.startsWith("autofix/")
        ? BUILD_HINT
        : "Images are never pulled: build or load it on this machine, or set `sandbox.image` to one that exists.",
      context: { image },
    });
  }
}

export class SetupFailedError extends AutofixError {
  constructor(options: {
    setup: string;
    exitCode: number;
    timedOut: boolean;
    oomKilled: boolean;
    diskExceeded?: boolean | undefined;
    outputTail: string;
    network: string;
  }) {
    const why = options.diskExceeded
      ? "wrote more than the disk limit"
      : options.timedOut
        ? "timed out"
        : options.oomKilled
          ? "was killed for memory"
          : `exited with ${options.exitCode}`;
    super(
      "sandbox_setup_failed",
      `The sandbox setup command \`${options.setup}\` ${why}. Its last output:\n${options.outputTail}`,
      {
        hint:
          options.network === "none"
            ? "Setup ran without network. When it must install packages, set `sandbox.setupNetwork: true` in .github/autofix.yml and the operator's AUTOFIX_SANDBOX_SETUP_NETWORK to host or bridge."
            : "Fix the setup command in .github/autofix.yml (`sandbox.setup`) or the repository at this commit.",
        context: { ...options },
      },
    );
  }
}

export class SandboxInputError extends AutofixError {
  constructor(message: string, hint?: string) {
    super("sandbox_bad_input", message, hint === undefined ? {} : { hint });
  }
}
