import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { LlmCancelledError, LlmRequestError, LlmUnavailableError } from "../../src/llm/errors.ts";
import { adapter, closeServersAfterEach, memoryLogger, scripted, user } from "./helpers.ts";

closeServersAfterEach();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("OpenAiLlm against the scripted server", () => {
  it("sends the stage header and the stage's model, and maps content, finish reasons and usage", async () => {
    const server = await scripted([
      {
        when: { stage: "repair.sample", model: "repair-model" },
        reply: { content: "Here:\n```python\nx = 1\n```" },
      },
      {
        when: { stage: "localize.files" },
        reply: { content: "```\nsrc/a.py\nsrc/b.py\n```", truncateAfterChars: 14 },
      },
    ]);
    const llm = adapter(server.url);
    const repair = await llm.complete({
      stage: "repair.sample",
      messages: user("fix it"),
      temperature: 0.8,
      maxTokens: 256,
    });
    expect(repair.texts).toEqual(["Here:\n```python\nx = 1\n```"]);
    expect(repair.finishReasons).toEqual(["stop"]);
    expect(repair.model).toBe("repair-model");
    expect(repair.usage.completionTokens).toBeGreaterThan(0);
    const cut = await llm.complete({ stage: "localize.files", messages: user("which files?") });
    expect(cut).toMatchObject({
      texts: ["```\nsrc/a.py\ns"],
      finishReasons: ["length"],
      model: "scripted-model",
    });
    expect(server.requests.map((r) => [r.stage, r.model, r.temperature, r.maxTokens])).toEqual([
      ["repair.sample", "repair-model", 0.8, 256],
      ["localize.files", "scripted-model", 0, 4_096],
    ]);
  });

  it("retries a 429 once (honouring retry-after-ms) and succeeds", async () => {
    const server = await scripted([{ replies: [{ status: 429, retryAfterMs: 10 }, { content: "ok" }] }]);
    const logger = memoryLogger();
    const completion = await adapter(server.url, {}, logger).complete({
      stage: "localize.files",
      messages: user("q"),
    });
    expect(completion.texts).toEqual(["ok"]);
    expect(server.requests).toHaveLength(2);
    expect(logger.lines.map((l) => [l.level, l.message, l.data.attempt])).toEqual([
      ["warn", "model endpoint answered an error", 1],
      ["info", "retrying model call", 2],
    ]);
  });

  it("retries 500, 500 then succeeds", async () => {
    const server = await scripted([
      {
        replies: [
          { status: 500, retryAfterMs: 10 },
          { status: 500, retryAfterMs: 10 },
          { content: "third time" },
        ],
      },
    ]);
    const completion = await adapter(server.url).complete({ stage: "s", messages: user("q") });
    expect(completion.texts).toEqual(["third time"]);
    expect(server.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("gives up on an endpoint that keeps failing, naming the status and the attempts", async () => {
    const server = await scripted([{ reply: { status: 503, error: "overloaded", retryAfterMs: 5 } }]);
    const error = await rejection(
      adapter(server.url, { maxRetries: 2 }).complete({ stage: "repair", messages: user("q") }),
    );
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toBe(
      `The repair call failed: the model endpoint ${server.url} kept answering HTTP 503 (overloaded; 3 attempts).`,
    );
    expect(server.requests).toHaveLength(3);
  });

  it("fails on an endpoint that is down with LlmUnavailableError naming the URL", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const started = Date.now();
    const error = await rejection(
      adapter(url, { maxRetries: 1 }).complete({ stage: "localize.files", messages: user("q") }),
    );
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toContain("ECONNREFUSED; 2 attempts");
    // Bounded: one backoff (≤ 1 s with maxRetries 1) — a guard against hanging, not a speed target.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("ends a hanging reply at the timeout, after the retries", async () => {
    const server = await scripted([{ reply: { hang: true } }]);
    const error = await rejection(
      adapter(server.url, { timeoutMs: 150, maxRetries: 1 }).complete({
        stage: "reproduce",
        messages: user("q"),
      }),
    );
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toMatch(/did not answer within 150 ms \(2 attempts\)/);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a 401 and points at the key variable", async () => {
    const server = await scripted([{ reply: { status: 401, error: "Incorrect API key provided" } }]);
    const error = await rejection(adapter(server.url).complete({ stage: "s", messages: user("q") }));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as LlmRequestError).status).toBe(401);
    expect((error as Error).message).toContain("HTTP 401: Incorrect API key provided");
    expect((error as LlmRequestError).hint).toContain("AUTOFIX_LLM_API_KEY");
    expect(server.requests).toHaveLength(1);
  });

  it("passes on the scripted server's no-match message", async () => {
    const server = await scripted([{ when: { stage: "other" }, reply: { content: "x" } }]);
    const error = await rejection(
      adapter(server.url).complete({ stage: "localize.files", messages: user("q") }),
    );
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as Error).message).toContain('no scripted rule matched (stage "localize.files"');
  });
});

describe("samples", () => {
  it("asks once for n samples when the endpoint supports n", async () => {
    const server = await scripted([{ reply: { choices: ["a", "b", "c"] } }]);
    const completion = await adapter(server.url).complete({
      stage: "repair",
      messages: user("q"),
      n: 3,
      temperature: 0.8,
    });
    expect(completion.texts).toEqual(["a", "b", "c"]);
    expect(server.requests.map((r) => r.n)).toEqual([3]);
  });

  it("makes separate calls for the rest when the endpoint ignores n, and goes straight to them afterwards", async () => {
    const usage = { promptTokens: 10, completionTokens: 1 };
    const replies = ["s1", "s2", "s3", "s4", "s5", "s6"].map((content) => ({
      content,
      usage,
      ignoreN: true as const,
    }));
    const server = await scripted([{ replies }]);
    const llm = adapter(server.url, { concurrency: 1 });
    const first = await llm.complete({ stage: "repair", messages: user("q"), n: 3 });
    expect(first.texts).toEqual(["s1", "s2", "s3"]);
    expect(first.usage).toEqual({ promptTokens: 30, completionTokens: 3 });
    const second = await llm.complete({ stage: "repair", messages: user("q"), n: 3 });
    expect(second.texts).toEqual(["s4", "s5", "s6"]);
    expect(server.requests.map((r) => r.n)).toEqual([3, 1, 1, 1, 1, 1]);
  });

  it("always makes separate calls in separate mode", async () => {
    const server = await scripted([{ reply: { choices: ["a", "b"] } }]);
    const completion = await adapter(server.url, { samplesMode: "separate" }).complete({
      stage: "s",
      messages: user("q"),
      n: 2,
    });
    expect(completion.texts).toEqual(["a", "a"]);
    expect(server.requests.map((r) => r.n)).toEqual([1, 1]);
  });
});

describe("cancellation and concurrency", () => {
  it("rejects promptly with LlmCancelledError when aborted mid-call", async () => {
    const server = await scripted([{ reply: { hang: true } }]);
    const controller = new AbortController();
    const started = Date.now();
    const call = adapter(server.url, { timeoutMs: 10_000 }).complete({
      stage: "repair",
      messages: user("q"),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    expect(await rejection(call)).toBeInstanceOf(LlmCancelledError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it("cancels a call still waiting for a concurrency slot without sending it", async () => {
    const server = await scripted([{ reply: { content: "slow", delayMs: 300 } }]);
    const llm = adapter(server.url, { concurrency: 1 });
    const controller = new AbortController();
    const running = llm.complete({ stage: "a", messages: user("1") });
    const waiting = llm.complete({ stage: "b", messages: user("2"), signal: controller.signal });
    controller.abort();
    expect(await rejection(waiting)).toBeInstanceOf(LlmCancelledError);
    expect((await running).texts).toEqual(["slow"]);
    expect(server.requests.map((r) => r.stage)).toEqual(["a"]);
  });

  it("never has more than `concurrency` requests in flight at the server", async () => {
    const server = await scripted([{ reply: { content: "ok", delayMs: 60 } }]);
    const llm = adapter(server.url, { concurrency: 2 });
    const calls = Array.from({ length: 6 }, (_, i) =>
      llm.complete({ stage: `s${i}`, messages: user(String(i)) }),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.texts[0])).toEqual(Array(6).fill("ok"));
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight).toBe(2);
  });
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
