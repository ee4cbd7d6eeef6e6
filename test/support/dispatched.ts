import { existsSync } from "node:fs";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";

/**
 * Wait until the App process has dispatched (decided) each of these deliveries: its inbox, in the job
 * database at `dbPath`, says `done` or `failed`. The webhook answer only says the delivery was recorded.
 */
export async function dispatched(
  dbPath: string,
  deliveryIds: string[],
  output: () => string = () => "",
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = deliveryIds;
  for (;;) {
    waiting = existsSync(dbPath) ? unsettled(dbPath, waiting) : waiting;
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`not dispatched in ${timeoutMs} ms: ${waiting.join(", ")}\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function unsettled(dbPath: string, deliveryIds: string[]): string[] {
  const store = openSqliteJobStore({ path: dbPath });
  try {
    return deliveryIds.filter((id) => {
      const state = store.delivery(id)?.state;
      return state !== "done" && state !== "failed";
    });
  } finally {
    store.close();
  }
}
