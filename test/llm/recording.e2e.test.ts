import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AutofixError } from "../../src/errors.ts";
import { LlmReplayMissError } from "../../src/llm/errors.ts";
import type { CompletionRequest, Llm } from "../../src/llm/llm.ts";
import { RecordingLlm, ReplayLlm } from "../../src/llm/recording.ts";
import { adapter, closeServersAfterEach, scripted, user } from "./helpers.ts";

closeServersAfterEach();

const SCRIPT = [
  {
    when: { stage: "localize.files" },
    reply: { content: "The bug is in the parser.\n```\nsrc/parse.py\nsrc/util.py\n```" },
  },
  {
    when: { stage: "repair.sample" },
    replies: [
      { content: "first", ignoreN: true },
      { content: "second", ignoreN: true },
      { content: "third", ignoreN: true },
      { content: "fourth", finishReason: "length", ignoreN: true },
      { content: "fifth", ignoreN: true },
    ],
  },
  { when: { stage: "reproduce" }, reply: { choices: ["test a", "test b"] } },
];

/** A small "run": the same requests in the same order, some repeated, one sampled. */
const RUN: CompletionRequest[] = [
  { stage: "localize.files", messages: user("Which files? Issue: parse() drops the timezone") },
  { stage: "repair.sample", messages: user("Fix parse()"), n: 3, temperature: 0.8, maxTokens: 512 },
  {
    stage: "reproduce",
    messages: [{ role: "system", content: "You write tests." }, ...user("Write a test")],
    n: 2,
  },
  { stage: "repair.sample", messages: user("Fix parse()"), temperature: 0.8, maxTokens: 512 },
  { stage: "repair.sample", messages: user("Fix parse()"), temperature: 0.8, maxTokens: 512 },
];

async function run(llm: Llm) {
  const results = [];
  for (const request of RUN) results.push(await llm.complete(request));
  return results;
}

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), "recording-")), name);
}

describe("record and replay", () => {
  it("replays a recorded run to identical results, with the endpoint gone", async () => {
    const server = await scripted(SCRIPT);
    const path = tempFile("run.jsonl");
    const recorded = await run(new RecordingLlm(adapter(server.url), path));
    await server.close();
    expect(recorded[1]?.texts).toEqual(["first", "second", "third"]);
    expect(recorded[3]?.finishReasons).toEqual(["length"]);
    // The same request twice got two different answers; replay must give them back in order.
    expect(recorded.slice(3).map((c) => c.texts[0])).toEqual(["fourth", "fifth"]);

    const lines = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatchObject({
      v: 1,
      stage: "repair.sample",
      request: { n: 3, temperature: 0.8, maxTokens: 512 },
    });
    expect(lines[0].key).toMatch(/^[0-9a-f]{64}$/);

    const replayed = await run(new ReplayLlm(path));
    expect(replayed).toEqual(recorded);
  });

  it("keys a request by stage, messages, n, temperature and maxTokens", async () => {
    const path = tempFile("run.jsonl");
    const inner = {
      complete: async () => ({
        model: "m",
        texts: ["x"],
        finishReasons: ["stop" as const],
        usage: { promptTokens: 1, completionTokens: 1 },
      }),
    };
    const recorder = new RecordingLlm(inner, path);
    await recorder.complete({ stage: "a", messages: user("q") });
    await recorder.complete({ stage: "b", messages: user("q") });
    await recorder.complete({ stage: "a", messages: user("q"), temperature: 0.5 });
    await recorder.complete({ stage: "a", messages: user("q"), n: 1, temperature: 0 }); // same as the first: defaults
    const keys = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).key as string);
    expect(new Set(keys).size).toBe(3);
    expect(keys[3]).toBe(keys[0]);
  });

  it("names the stage and the nearest recording on a miss", async () => {
    const server = await scripted(SCRIPT);
    const path = tempFile("run.jsonl");
    await run(new RecordingLlm(adapter(server.url), path));
    const replay = new ReplayLlm(path);
    const miss = replay.complete({
      stage: "localize.files",
      messages: user("Which files? Issue: parse() drops the TZ"),
    });
    await expect(miss).rejects.toBeInstanceOf(LlmReplayMissError);
    await expect(miss).rejects.toThrow(
      /no recorded reply for the localize\.files request \(key [0-9a-f]{12}\); nearest recorded: stage localize\.files, key [0-9a-f]{12} \(differs in messages\)/,
    );
  });

  it("says when every recorded reply for a request was already used", async () => {
    const server = await scripted(SCRIPT);
    const path = tempFile("run.jsonl");
    await run(new RecordingLlm(adapter(server.url), path));
    const replay = new ReplayLlm(path);
    const request = RUN[0] as CompletionRequest;
    await replay.complete(request);
    await expect(replay.complete(request)).rejects.toThrow(/was recorded 1 time\(s\) and all were used/);
  });

  it("refuses a recording with a broken line, naming file and line", () => {
    const path = tempFile("bad.jsonl");
    writeFileSync(path, '{"v":1}\n');
    let caught: unknown;
    try {
      new ReplayLlm(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AutofixError);
    expect((caught as Error).message).toBe(`Replay file ${path}:1 is not a recorded exchange.`);
  });
});
