import type { Job } from "../jobs/job-store.ts";

/** The marker of the App's one reply to a command comment: a redelivered command finds it again. */
export function replyMarker(commentId: number): string {
  return `<!-- autofix:reply:${commentId} -->`;
}

const STATE_WORDS: Record<Job["state"], string> = {
  queued: "queued, waiting for a worker",
  running: "running",
  done: "done: it proposed a fix",
  abstained: "finished without proposing a fix",
  failed: "failed",
  cancelled: "cancelled",
};

/** The answer to `/autofix status`: the issue's latest run, and the repository's runs in the last hour. */
export function renderStatusReply(latest: Job | undefined, runsLastHour: number): string {
  const runs = `${runsLastHour} run${runsLastHour === 1 ? "" : "s"} started in this repository in the last hour.`;
  if (latest === undefined) {
    return `**autofix status:** no run for this issue yet. Add the trigger label or comment \`/autofix retry\` to start one. ${runs}`;
  }
  const parts = [`**autofix status:** job ${latest.id} is ${STATE_WORDS[latest.state]}`];
  if (latest.state === "running" && latest.stage !== undefined) parts.push(` (stage: ${latest.stage})`);
  if (latest.reason !== undefined && latest.state !== "running") parts.push(` — ${oneLine(latest.reason)}`);
  parts.push(
    `. Started by ${latest.triggeredBy} (${latest.trigger === "retry" ? "/autofix retry" : "label"})` +
      `${latest.attempts > 1 ? `, attempt ${latest.attempts}` : ""}. ${runs}`,
  );
  return parts.join("");
}

/** Keep a stored reason on one line and free of markup and mentions. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").replace(/</g, "&lt;").replace(/@/g, "@\u200b").trim().slice(0, 300);
}
