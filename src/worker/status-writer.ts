import type { Logger } from "pino";
import type { Forge } from "../forge/forge.ts";
import { renderStatus, STATUS_MARKER, type StatusView } from "../publish/status-comment.ts";

export type StatusWriter = {
  /** Show this view; writes are serialized, and views shown while one is in flight collapse to the latest. */
  show(view: StatusView): void;
  /** Resolves once everything shown so far is on GitHub (or has failed and been logged). */
  flush(): Promise<void>;
};

/** The one status comment of an issue, found by its marker and edited in place. */
export function statusWriter(forge: Forge, issueNumber: number, log: Logger): StatusWriter {
  let latest = "";
  let queued = false;
  let chain: Promise<void> = Promise.resolve();
  return {
    show(view) {
      latest = renderStatus(view);
      if (queued) return;
      queued = true;
      chain = chain.then(async () => {
        queued = false;
        try {
          await forge.ensureComment(issueNumber, STATUS_MARKER, latest);
        } catch (error) {
          log.warn({ err: error }, "could not update the status comment");
        }
      });
    },
    flush: () => chain,
  };
}
