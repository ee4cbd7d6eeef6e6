// `npm run bench -- llm [calls]`: what the model layer costs per call, against the *scripted* model on
// loopback (no real model is reachable here, so these are overhead figures, not model latency):
// a call through the real openai SDK + ledger, the same with n=5 samples, and a replayed call.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnvironment } from "../src/config/environment.ts";
import { createLedger, createLlm } from "../src/llm/create-llm.ts";
import type { Llm } from "../src/llm/llm.ts";
import { loadLlmSettings } from "../src/llm/settings.ts";
import { startScriptedModel } from "../src/scripted-model/server.ts";

const calls = Number(process.argv[2] ?? 200);
const answer = `Looking at the traceback, the bug is in the parser.\n\n\`\`\`json\n{"files": ["src/parser.py"]}\n\`\`\`\n`;
const server = await startScriptedModel({ script: { rules: [{ reply: { content: answer } }] } });
const record = join(mkdtempSync(join(tmpdir(), "autofix-bench-")), "run.jsonl");
const limits = { maxTokensPerRun: 100_000_000, maxDollarsPerRun: 1_000 };
const config = { models: {} };
const env = {
  AUTOFIX_LLM_BASE_URL: server.url,
  AUTOFIX_LLM_API_KEY: "scripted",
  AUTOFIX_LLM_MODEL: "scripted",
};
const messages = [
  { role: "system" as const, content: "You localize bugs." },
  { role: "user" as const, content: "Issue: parsing fails on empty input.\n".repeat(50) },
];

async function perCall(llm: Llm, label: string, n: number, concurrency = 1): Promise<void> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      await llm.complete({ stage: "bench.call", messages, n, maxTokens: 256 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = (performance.now() - started) / calls;
  console.log(`${label.padEnd(44)} ${ms.toFixed(2)} ms/call  (${calls} calls, concurrency ${concurrency})`);
}

const settings = loadLlmSettings(readEnvironment({ ...env, AUTOFIX_LLM_RECORD: record }));
const live = createLlm({ settings, config, ledger: createLedger(limits) });
await perCall(live, "SDK + ledger + recording, n=1", 1);
await perCall(live, "SDK + ledger + recording, n=5 (native n)", 5);
await perCall(live, "SDK + ledger + recording, n=1, 4 in flight", 1, 4);
await server.close();

const replayed = createLlm({
  settings: loadLlmSettings(readEnvironment({ ...env, AUTOFIX_LLM_REPLAY: record })),
  config,
  ledger: createLedger(limits),
});
await perCall(replayed, "replay + ledger (no endpoint), n=1", 1);
console.log(`memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
