import { AutofixError } from "../errors.ts";
import { EXIT } from "./exit-codes.ts";

const HANDLED = ["SIGINT", "SIGTERM"] as const;
type HandledSignal = (typeof HANDLED)[number];

/** Past this long after the signal, the CLI exits even if some work still holds it. */
const FORCED_EXIT_MS = 15_000;

/** The reason a command's AbortSignal fires with; its message is the report's `stopped`. */
export class InterruptedError extends AutofixError {
  readonly signalName: HandledSignal;

  constructor(signalName: HandledSignal) {
    super("cli.interrupted", `interrupted by ${signalName}: the run stopped and removed its containers`, {
      context: { signal: signalName },
    });
    this.signalName = signalName;
  }
}

export type Interruption = {
  /** Fires (with an InterruptedError) on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Work to undo on interruption (removing containers), run once, before the command exits. */
  onInterrupt(cleanup: () => Promise<unknown>): void;
};

/**
 * Runs a command with SIGINT/SIGTERM handled: the signal aborts `interruption.signal` and runs the
 * cleanups (a sandbox's `stopAll`), the command winds down, and the exit code is 130 or 143.
 * A second signal, or a command that does not end within FORCED_EXIT_MS, exits at once; containers
 * left then are removed by the next autofix start (as after SIGKILL).
 */
export async function withInterruptions(
  body: (interruption: Interruption) => Promise<number>,
  options: { beforeForcedExit?: () => void } = {},
): Promise<number> {
  const controller = new AbortController();
  const cleanups: Array<() => Promise<unknown>> = [];
  let received: HandledSignal | undefined;
  let cleaned: Promise<unknown> = Promise.resolve();
  const exitCode = () => (received === "SIGTERM" ? EXIT.terminated : EXIT.interrupted);
  const forcedExit = () => {
    try {
      options.beforeForcedExit?.();
    } finally {
      process.exit(exitCode());
    }
  };
  const onSignal = (name: HandledSignal) => {
    if (received !== undefined) forcedExit();
    received = name;
    controller.abort(new InterruptedError(name));
    cleaned = Promise.allSettled(cleanups.map((cleanup) => cleanup()));
    setTimeout(() => void cleaned.finally(forcedExit), FORCED_EXIT_MS).unref();
  };
  const listeners = HANDLED.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, listener] of listeners) process.on(name, listener);
  try {
    const onInterrupt = (cleanup: () => Promise<unknown>) => {
      cleanups.push(cleanup);
      // Registered after the signal (a sandbox connected meanwhile): undone now.
      if (received !== undefined) cleaned = Promise.allSettled([cleaned, cleanup()]);
    };
    const code = await body({ signal: controller.signal, onInterrupt });
    return received === undefined ? code : await interrupted(cleaned, controller.signal, exitCode());
  } catch (error) {
    if (received === undefined) throw error;
    return interrupted(cleaned, controller.signal, exitCode());
  } finally {
    for (const [name, listener] of listeners) process.off(name, listener);
  }
}

async function interrupted(cleaned: Promise<unknown>, signal: AbortSignal, code: number): Promise<number> {
  await cleaned;
  const reason: unknown = signal.reason;
  process.stderr.write(`autofix: ${reason instanceof Error ? reason.message : "interrupted"}\n`);
  return code;
}
