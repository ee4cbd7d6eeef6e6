import { createHash, randomUUID } from "node:crypto";
import Docker from "dockerode";
import { AutofixError } from "../errors.ts";
import { packFiles, packWorkspace } from "./archive.ts";
import { capLimits, DEFAULT_CEILINGS, type SandboxCeilings } from "./ceilings.ts";
import { type ContainerPlan, runContainer } from "./container.ts";
import { translateDockerError } from "./docker-errors.ts";
import { ImageNotFoundError, SandboxInputError, SetupFailedError } from "./errors.ts";
import { assertAllowedImage, BUILT_IN_IMAGES, SETUP_IMAGE_PREFIX, withTag } from "./images.ts";
import { isOrphan, ownerLabels, SANDBOX_LABEL } from "./labels.ts";
import type {
  PreparedImage,
  PrepareSpec,
  RunResult,
  RunSpec,
  Sandbox,
  SandboxLimits,
  SetupNetwork,
} from "./sandbox.ts";
import { DEFAULT_LIMITS } from "./sandbox.ts";
import {
  CA_PATH_IN_CONTAINER,
  caExports,
  effectiveSetupNetwork,
  type SandboxSettings,
  SETUP_CACHE_DEFAULTS,
  settingsFromEnv,
} from "./settings.ts";
import {
  evictSetupImages,
  SETUP_KEY_LABEL,
  SETUP_LABEL,
  SETUP_REPO_LABEL,
  touchSetupImage,
} from "./setup-cache.ts";

/** Set in every container; nothing from the host environment is passed. */
const BASE_ENV: Record<string, string> = { CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" };
const SETUP_OUTPUT_TAIL = 4_000;
/** Part of every setup image's cache key: bump it when what `prepare` commits changes. */
const SETUP_LAYOUT = "setup-v2";
const TOUCH_EVERY_MS = 60_000;

export type DockerSandboxOptions = {
  docker?: Docker;
  settings?: SandboxSettings;
  /** Labels every container of this sandbox; tests list leftovers by it. */
  runId?: string;
  limits?: Partial<SandboxLimits>;
};

/** The Sandbox on a Docker engine, through dockerode. */
export class DockerSandbox implements Sandbox {
  readonly runId: string;
  readonly docker: Docker;
  private readonly settings: SandboxSettings;
  private readonly limits: SandboxLimits;
  /** Set by `stopAll`: no container is started any more. */
  private stopped = false;
  /** `run`/`prepare` calls under way: a container they are creating is removed by `stopAll`'s next sweep. */
  private active = 0;
  readonly ceilings: SandboxCeilings;
  private evicting: Promise<string[]> | undefined;
  /** Setup images `prepare` returned: `run` accepts them besides the allowed base images. */
  private readonly preparedImages = new Set<string>();
  /** When this sandbox last marked each setup image as used (at most once a minute: one API call). */
  private readonly touchedAt = new Map<string, number>();
  /** Allowed base images already matched to the engine's image of that name. */
  private readonly verifiedBases = new Map<string, { Id: string; Config: ImageConfig }>();

  constructor(options: DockerSandboxOptions = {}) {
    this.docker = options.docker ?? new Docker();
    this.settings = options.settings ?? settingsFromEnv();
    this.runId = options.runId ?? randomUUID();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.ceilings = this.settings.ceilings ?? DEFAULT_CEILINGS;
  }

  /** A sandbox whose engine answers, with orphans of dead processes already removed. */
  static async connect(options: DockerSandboxOptions = {}): Promise<DockerSandbox> {
    const sandbox = new DockerSandbox(options);
    await sandbox.docker.ping().catch((error: unknown) => {
      throw translateDockerError(error);
    });
    await sandbox.cleanupOrphans();
    return sandbox;
  }

  async run(spec: RunSpec): Promise<RunResult> {
    return this.tracked(() => this.runContainerFor(spec));
  }

  private async runContainerFor(spec: RunSpec): Promise<RunResult> {
    if (this.preparedImages.has(spec.image)) await this.touch(spec.image);
    else await this.assertAllowedBase(spec.image);
    const limits = this.resolveLimits(spec.limits, false);
    const uploads: ContainerPlan["uploads"] = [];
    if (spec.workspaceDir !== undefined) {
      const dir = spec.workspaceDir;
      uploads.push(() => packWorkspace(dir));
    }
    if (spec.files && spec.files.length > 0) {
      const files = spec.files;
      uploads.push(() => packFiles(files));
    }
    return runContainer(this.docker, {
      image: spec.image,
      command: toArgv(spec.command),
      env: { ...BASE_ENV, ...spec.env },
      labels: this.labels(limits),
      limits,
      network: "none",
      uploads,
      collect: spec.collect ?? [],
    });
  }

  async prepare(spec: PrepareSpec): Promise<PreparedImage> {
    return this.tracked(() => this.prepareImage(spec));
  }

  /**
   * On interruption: refuse new containers and remove this sandbox's containers, sweeping again
   * while calls are still under way (one may be creating its container), for at most `waitMs`.
   * Every sweep kills them all first: a kill takes the engine milliseconds, a removal (a storage
   * layer deleted, on btrfs with quota accounting) can take seconds on a loaded machine.
   */
  async stopAll(waitMs = 5_000): Promise<number> {
    this.stopped = true;
    const deadline = Date.now() + waitMs;
    let removed = 0;
    do {
      const ids = await this.leftovers().catch(() => []);
      await Promise.all(
        ids.map((id) =>
          this.docker
            .getContainer(id)
            .kill({ signal: "SIGKILL" })
            .catch(() => undefined),
        ),
      );
      const results = await Promise.all(
        ids.map((id) =>
          this.docker
            .getContainer(id)
            .remove({ force: true, v: true })
            .then(() => 1)
            .catch(() => 0),
        ),
      );
      removed += results.reduce((sum: number, one) => sum + one, 0);
      if (this.active === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    return removed;
  }

  private async tracked<T>(call: () => Promise<T>): Promise<T> {
    if (this.stopped) throw new SandboxStoppedError();
    this.active++;
    try {
      return await call();
    } finally {
      this.active--;
    }
  }

  private async prepareImage(spec: PrepareSpec): Promise<PreparedImage> {
    if (spec.repoKey.trim() === "" || spec.commit.trim() === "") {
      throw new SandboxInputError("prepare needs a repository key and a commit.");
    }
    const base = await this.assertAllowedBase(spec.image, spec.repoKey);
    const network = effectiveSetupNetwork(spec.network, this.settings);
    const key = createHash("sha256")
      .update(JSON.stringify([SETUP_LAYOUT, spec.repoKey, spec.commit, base.Id, spec.setup, network]))
      .digest("hex");
    const tag = `${setupImageRepo(spec.repoKey)}:${key.slice(0, 20)}`;
    const none = { ran: false, durationMs: 0, output: "", network };
    // Looked up by this repository's own key, and only taken when its labels say so.
    const cached = await this.inspectImage(tag).catch((error: unknown) => {
      if (error instanceof ImageNotFoundError) return null;
      throw error;
    });
    if (cached !== null && cached.Config.Labels?.[SETUP_KEY_LABEL] === key) {
      this.preparedImages.add(tag);
      await this.touch(tag);
      return { image: tag, cached: true, setup: none };
    }

    const limits = this.resolveLimits(spec.limits, true);
    const withCa = network !== "none" && this.settings.caBundle !== null;
    let setup = none;
    await runContainer(
      this.docker,
      {
        image: spec.image,
        command: [
          "/bin/sh",
          "-c",
          spec.setup === null ? "true" : `${withCa ? caExports() : ""}${spec.setup}`,
        ],
        env: BASE_ENV,
        labels: this.labels(limits),
        limits,
        network,
        readOnlyBinds: withCa ? [`${this.settings.caBundle}:${CA_PATH_IN_CONTAINER}:ro`] : [],
        uploads: [() => packWorkspace(spec.workspaceDir)],
        collect: [],
      },
      async (container, result) => {
        const output = `${result.stdout}${result.stderr}`;
        const failed = result.exitCode !== 0 || result.timedOut || result.oomKilled;
        if (result.diskExceeded === true || (spec.setup !== null && failed)) {
          const setupCommand = spec.setup ?? "(none)";
          throw new SetupFailedError({ setup: setupCommand, ...result, outputTail: tail(output), network });
        }
        setup = { ran: spec.setup !== null, durationMs: result.durationMs, output: tail(output), network };
        await this.commit(container.id, tag, base.Config, { repoKey: spec.repoKey, key });
      },
    );
    this.preparedImages.add(tag);
    // In the background: listing and removing images takes seconds on a busy engine.
    this.evicting ??= this.evictSetupImages().finally(() => {
      this.evicting = undefined;
    });
    return { image: tag, cached: false, setup };
  }

  async cleanupOrphans(options: { all?: boolean } = {}): Promise<number> {
    const containers = await this.docker
      .listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`] } })
      .catch((error: unknown) => {
        throw translateDockerError(error);
      });
    let removed = 0;
    for (const info of containers) {
      if (!options.all && !isOrphan(info.Labels, Date.now())) continue;
      await this.docker
        .getContainer(info.Id)
        .remove({ force: true, v: true })
        .then(() => removed++)
        .catch(() => undefined);
    }
    return removed;
  }

  /** Remove setup images (those `prepare` committed) created more than `olderThanMs` ago. */
  async pruneSetupImages(olderThanMs: number): Promise<string[]> {
    const images = await this.docker
      .listImages({ filters: { label: [`${SANDBOX_LABEL}.setup=1`] } })
      .catch((error: unknown) => {
        throw translateDockerError(error);
      });
    const cutoffSeconds = (Date.now() - olderThanMs) / 1000;
    const removed: string[] = [];
    for (const image of images.filter((info) => info.Created < cutoffSeconds)) {
      await this.docker
        .getImage(image.Id)
        .remove({ force: true })
        .then(() => removed.push(...(image.RepoTags ?? [image.Id])))
        .catch(() => undefined);
    }
    return removed;
  }

  /** Containers of this sandbox that still exist (none, once every call has returned). */
  async leftovers(): Promise<string[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${SANDBOX_LABEL}.run=${this.runId}`] },
    });
    return containers.map((info) => info.Id);
  }

  /** Keep the setup images within the operator's caps, least recently used out first (setup-cache.ts). */
  async evictSetupImages(): Promise<string[]> {
    const caps = this.settings.setupCache ?? SETUP_CACHE_DEFAULTS;
    return evictSetupImages(this.docker, caps, this.preparedImages).catch(() => []);
  }

  private async commit(
    containerId: string,
    tag: string,
    config: ImageConfig,
    owner: { repoKey: string; key: string },
  ): Promise<void> {
    const [repo, version] = splitTag(tag);
    // The body replaces the container's config: the setup's env (CA paths) and labels stay out of the image.
    await this.docker.getContainer(containerId).commit({
      _query: { container: containerId, repo, tag: version, comment: "autofix sandbox setup" },
      _body: {
        ...config,
        Labels: {
          ...config.Labels,
          [SETUP_LABEL]: "1",
          [SETUP_REPO_LABEL]: owner.repoKey,
          [SETUP_KEY_LABEL]: owner.key,
        },
      },
    });
  }

  /**
   * A base image a repository may use: one of the operator's names, exactly, and the engine's image
   * of that name (never an image ID prefix Docker would also accept for it). Layering: a setup image
   * this sandbox's `prepare` returned may be the base of a `prepare` for the same repository key or
   * a key below it (`owner/name/harness`), never for another repository's.
   */
  private async assertAllowedBase(
    image: string,
    forRepoKey?: string,
  ): Promise<{ Id: string; Config: ImageConfig }> {
    if (this.preparedImages.has(image)) {
      const info = await this.inspectImage(image);
      const owner = info.Config.Labels?.[SETUP_REPO_LABEL] ?? "";
      const sameRepo = forRepoKey === undefined || forRepoKey === owner || forRepoKey.startsWith(`${owner}/`);
      if (owner !== "" && sameRepo) return info;
    }
    const allowed = this.settings.images ?? BUILT_IN_IMAGES;
    assertAllowedImage(image, allowed);
    const known = this.verifiedBases.get(image);
    if (known !== undefined) return known;
    const info = await this.inspectImage(image);
    if (!info.RepoTags.includes(withTag(image))) throw new ImageNotFoundError(image);
    this.verifiedBases.set(image, info);
    return info;
  }

  private async touch(tag: string): Promise<void> {
    const now = Date.now();
    if (now - (this.touchedAt.get(tag) ?? 0) < TOUCH_EVERY_MS) return;
    this.touchedAt.set(tag, now);
    await touchSetupImage(this.docker, tag);
  }

  private async inspectImage(
    image: string,
  ): Promise<{ Id: string; Config: ImageConfig; RepoTags: string[] }> {
    try {
      const info = await this.docker.getImage(image).inspect();
      return { Id: info.Id, Config: (info.Config ?? {}) as ImageConfig, RepoTags: info.RepoTags ?? [] };
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 404) throw new ImageNotFoundError(image);
      throw translateDockerError(error, image);
    }
  }

  /** The caller's limits, lowered to the operator's maxima whatever they ask (ceilings.ts). */
  private resolveLimits(overrides: Partial<SandboxLimits> | undefined, setup: boolean): SandboxLimits {
    const limits = capLimits({ ...this.limits, ...overrides }, this.ceilings, setup);
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new SandboxInputError(`Sandbox limit ${name} must be a positive number, not ${value}.`);
      }
    }
    return limits;
  }

  private labels(limits: SandboxLimits): Record<string, string> {
    return ownerLabels(this.runId, Date.now() + limits.timeoutMs);
  }
}

type ImageConfig = { Labels?: Record<string, string> | null } & Record<string, unknown>;

function toArgv(command: string | string[]): string[] {
  if (typeof command === "string") {
    if (command.trim() === "") throw new SandboxInputError("The sandbox command is empty.");
    return ["/bin/sh", "-c", command];
  }
  if (command.length === 0 || command[0] === "") throw new SandboxInputError("The sandbox command is empty.");
  return command;
}

/** Docker repository names are lowercase `[a-z0-9._-]` parts separated by `/`. */
export function setupImageRepo(repoKey: string): string {
  const name = repoKey
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, 80);
  return `${SETUP_IMAGE_PREFIX}${name === "" ? "repo" : name}`;
}

function splitTag(tag: string): [string, string] {
  const at = tag.lastIndexOf(":");
  return [tag.slice(0, at), tag.slice(at + 1)];
}

function tail(text: string): string {
  return text.length <= SETUP_OUTPUT_TAIL ? text : `…${text.slice(-SETUP_OUTPUT_TAIL)}`;
}

export type { SetupNetwork };

export class SandboxStoppedError extends AutofixError {
  constructor() {
    super("sandbox_stopped", "The sandbox was stopped (the run was interrupted): no container is started.");
  }
}
