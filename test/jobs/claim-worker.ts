// A separate process racing others for jobs in one SQLite file: claims until the queue is empty,
// finishing each job at once, and prints the ids it got as JSON. Used by claim-processes.e2e.test.ts.
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";

const [path, workerId] = process.argv.slice(2);
if (path === undefined || workerId === undefined) throw new Error("usage: claim-worker.ts <db> <worker-id>");
const store = openSqliteJobStore({ path });
const claimed: number[] = [];
for (;;) {
  const job = store.claim(workerId, { perInstallation: 100, perRepository: 100 });
  if (job === undefined) break;
  claimed.push(job.id);
  if (!store.finish(job.id, workerId, "done")) throw new Error(`job ${job.id} was not ours to finish`);
}
store.close();
process.stdout.write(JSON.stringify(claimed));
