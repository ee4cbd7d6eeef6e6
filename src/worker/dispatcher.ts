import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { describeError } from "../errors.ts";
import type { Delivery, DeliveryInbox } from "../jobs/inbox.ts";

export type DispatcherOptions = {
  inbox: DeliveryInbox;
  /** Decide one delivery (read the config, ask permissions, queue a job, react, comment…). */
  handle: (delivery: Delivery) => Promise<void>;
  log: Logger;
  dispatcherId?: string;
  /** Deliveries decided at once (never two of the same issue: the inbox keeps them in line). */
  concurrency?: number;
  /** How often an idle dispatcher looks at the inbox; `wake()` looks at once. */
  pollMs?: number;
  /** A taken delivery not settled within this long (its process died) is taken again. */
  leaseMs?: number;
  /** Dispatches of one delivery before it is failed for good. */
  maxAttempts?: number;
  /** The wait before the next attempt, after `attempt` failed ones. */
  backoffMs?: (attempt: number) => number;
  /** Settled deliveries are forgotten after this long. */
  keepMs?: number;
};

export type Dispatcher = {
  readonly id: string;
  /** Look at the inbox now (a delivery was just recorded). */
  wake(): void;
  /** Stop taking deliveries and wait for the ones being decided. */
  stop(): Promise<void>;
};

const DAY_MS = 86_400_000;

/** One attempt at each delivery that is due now, in order: `dispatchDue` drains what is due (tests). */
export async function dispatchDue(options: DispatcherOptions): Promise<number> {
  const settings = settingsOf(options, options.dispatcherId ?? "dispatch-due");
  let count = 0;
  for (let d = take(settings); d !== undefined; d = take(settings)) {
    await dispatchOne(d, settings);
    count++;
  }
  return count;
}

/** Takes recorded deliveries from the inbox and decides each; a failure is retried with backoff, then failed. */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const id = options.dispatcherId ?? `dispatcher-${randomUUID()}`;
  const settings = settingsOf(options, id);
  const stopping = new AbortController();
  let sleepers: (() => void)[] = [];
  const wake = () => {
    const waiting = sleepers;
    sleepers = [];
    for (const resume of waiting) resume();
  };
  stopping.signal.addEventListener("abort", wake);
  const idle = (ms: number) =>
    new Promise<void>((resume) => {
      const timer = setTimeout(resume, ms);
      sleepers.push(() => {
        clearTimeout(timer);
        resume();
      });
    });

  let lastPrune = 0;
  const lane = async () => {
    while (!stopping.signal.aborted) {
      if (Date.now() - lastPrune > DAY_MS / 24) {
        lastPrune = Date.now();
        prune(settings);
      }
      const delivery = take(settings);
      if (delivery === undefined) await idle(settings.pollMs);
      else await dispatchOne(delivery, settings);
    }
  };
  const lanes = Array.from({ length: options.concurrency ?? 4 }, lane);
  return {
    id,
    wake,
    async stop() {
      stopping.abort();
      await Promise.all(lanes);
    },
  };
}

type Settings = Required<Omit<DispatcherOptions, "concurrency" | "dispatcherId">> & { id: string };

function settingsOf(options: DispatcherOptions, id: string): Settings {
  return {
    id,
    inbox: options.inbox,
    handle: options.handle,
    log: options.log.child({ dispatcherId: id }),
    pollMs: options.pollMs ?? 200,
    leaseMs: options.leaseMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 5,
    backoffMs: options.backoffMs ?? ((attempt) => Math.min(60_000, 1_000 * 2 ** (attempt - 1))),
    keepMs: options.keepMs ?? 7 * DAY_MS,
  };
}

function take(settings: Settings): Delivery | undefined {
  try {
    return settings.inbox.takeDelivery(settings.id, settings.leaseMs);
  } catch (error) {
    settings.log.error({ err: error }, "could not take a delivery (the database may be busy); trying again");
    return undefined;
  }
}

function prune(settings: Settings): void {
  try {
    settings.inbox.pruneDeliveries(Date.now() - settings.keepMs);
  } catch (error) {
    settings.log.warn({ err: error }, "could not prune the delivery inbox");
  }
}

async function dispatchOne(delivery: Delivery, settings: Settings): Promise<void> {
  const { log } = settings;
  const where = { deliveryId: delivery.deliveryId, event: delivery.event, attempt: delivery.attempts };
  let failure: { error: unknown } | undefined;
  try {
    await settings.handle(delivery);
  } catch (error) {
    failure = { error };
  }
  if (failure === undefined) {
    settle(settings, delivery, { outcome: "done" });
    return;
  }
  const { error } = failure;
  const message = describeError(error).split("\n")[0] ?? "error";
  if (delivery.attempts >= settings.maxAttempts) {
    log.error({ ...where, err: error }, `delivery failed ${delivery.attempts} times; giving up on it`);
    settle(settings, delivery, { outcome: "failed", error: message });
  } else {
    const delayMs = settings.backoffMs(delivery.attempts);
    log.warn({ ...where, err: error, retryInMs: delayMs }, "delivery failed; it will be tried again");
    settle(settings, delivery, { outcome: "retry", error: message, delayMs });
  }
}

function settle(
  settings: Settings,
  delivery: Delivery,
  settlement: Parameters<DeliveryInbox["settleDelivery"]>[2],
): void {
  try {
    settings.inbox.settleDelivery(delivery.deliveryId, settings.id, settlement);
  } catch (error) {
    // Left leased: it is taken again when the lease ends.
    settings.log.error({ err: error, deliveryId: delivery.deliveryId }, "could not record the dispatch");
  }
}
