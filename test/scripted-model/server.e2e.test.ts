import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedModel, startScriptedModel } from "../../src/scripted-model/server.ts";

const servers: ScriptedModel[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(script: unknown, baseDir?: string): Promise<ScriptedModel> {
  const server = await startScriptedModel({ script, ...(baseDir ? { baseDir } : {}) });
  servers.push(server);
  return server;
}

interface Ask {
  stage?: string;
  prompt?: string;
  system?: string;
  model?: string;
  n?: number;
  path?: string;
}

async function ask(server: ScriptedModel, options: Ask = {}) {
  const messages = [
    ...(options.system ? [{ role: "system", content: options.system }] : []),
    { role: "user", content: options.prompt ?? "hello" },
  ];
  const response = await fetch(
    `${server.url.replace(/\/v1$/, "")}${options.path ?? "/v1/chat/completions"}`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.stage ? { "x-autofix-stage": options.stage } : {}),
      },
      body: JSON.stringify({ model: options.model ?? "m", messages, ...(options.n ? { n: options.n } : {}) }),
    },
  );
  const body = (await response.json()) as {
    choices?: { message: { content: string }; finish_reason: string }[];
    usage?: { prompt_tokens: number; completion_tokens: number };
    error?: { message: string };
  };
  return {
    status: response.status,
    headers: response.headers,
    body,
    texts: body.choices?.map((c) => c.message.content),
  };
}

describe("scripted model server", () => {
  it("answers by stage, prompt regex, system regex and model, first match wins", async () => {
    const server = await start({
      rules: [
        { name: "files", when: { stage: "localize.files" }, reply: { content: "files!" } },
        {
          name: "py",
          when: { stage: "localize.*", prompt: "Traceback \\(most recent" },
          reply: { content: "python trace" },
        },
        { name: "sys", when: { system: "^You repair" }, reply: { content: "repairer" } },
        { name: "big", when: { model: "gpt-4*" }, reply: { content: "big model" } },
      ],
    });
    expect(
      (await ask(server, { stage: "localize.files", prompt: "Traceback (most recent call last)" })).texts,
    ).toEqual(["files!"]);
    expect(
      (await ask(server, { stage: "localize.lines", prompt: "x\nTraceback (most recent call last)" })).texts,
    ).toEqual(["python trace"]);
    expect((await ask(server, { stage: "repair", system: "Intro.\nYou repair bugs." })).texts).toEqual([
      "repairer",
    ]);
    expect((await ask(server, { stage: "other", model: "gpt-4o" })).texts).toEqual(["big model"]);
    expect(server.requests.map((r) => [r.stage, r.rule])).toEqual([
      ["localize.files", "files"],
      ["localize.lines", "py"],
      ["repair", "sys"],
      ["other", "big"],
    ]);
  });

  it("uses a rule at most `times` times, then falls through; a sequence repeats its last reply", async () => {
    const server = await start([
      {
        when: { stage: "s" },
        times: 2,
        replies: [{ content: "one" }, { content: "two" }, { content: "never" }],
      },
      { when: { stage: "s" }, replies: [{ content: "A" }, { content: "B" }] },
    ]);
    const texts = [];
    for (let i = 0; i < 5; i++) texts.push((await ask(server, { stage: "s" })).texts?.[0]);
    expect(texts).toEqual(["one", "two", "A", "B", "B"]);
    expect(server.requests.map((r) => r.rule)).toEqual([
      "rules[0]",
      "rules[0]",
      "rules[1]",
      "rules[1]",
      "rules[1]",
    ]);
  });

  it("answers unmatched requests with a readable 404 naming the stage, or with the script's fallback", async () => {
    const plain = await start([{ when: { stage: "a" }, reply: { content: "x" } }]);
    const miss = await ask(plain, { stage: "repair.sample", prompt: "Fix the bug in parse()" });
    expect(miss.status).toBe(404);
    expect(miss.body.error?.message).toContain('no scripted rule matched (stage "repair.sample"');
    expect(miss.body.error?.message).toContain("Fix the bug in parse()");
    expect(plain.requests[0]?.rule).toBeNull();

    const withFallback = await start({ rules: [], fallback: { content: "I cannot help with that." } });
    expect((await ask(withFallback, { stage: "x" })).texts).toEqual(["I cannot help with that."]);
  });

  it("returns errors with retry-after-ms, and recovers by sequence", async () => {
    const server = await start([
      {
        replies: [{ status: 429, retryAfterMs: 20 }, { status: 503, error: "overloaded" }, { content: "ok" }],
      },
    ]);
    const limited = await ask(server);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after-ms")).toBe("20");
    expect(limited.body.error?.message).toMatch(/rate limit/i);
    const overloaded = await ask(server);
    expect([overloaded.status, overloaded.body.error?.message]).toEqual([503, "overloaded"]);
    expect((await ask(server)).texts).toEqual(["ok"]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it("gives one choice per sample, honours ignoreN, truncates with finish_reason length", async () => {
    const server = await start([
      { when: { stage: "many" }, reply: { choices: ["first", "second"] } },
      { when: { stage: "one" }, reply: { content: "only", ignoreN: true } },
      {
        when: { stage: "cut" },
        reply: { content: "```python\ndef f():\n    return 1\n```", truncateAfterChars: 12 },
      },
    ]);
    expect((await ask(server, { stage: "many", n: 3 })).texts).toEqual(["first", "second", "second"]);
    expect((await ask(server, { stage: "one", n: 3 })).texts).toEqual(["only"]);
    const cut = await ask(server, { stage: "cut" });
    expect(cut.body.choices?.[0]).toMatchObject({
      message: { content: "```python\nde" },
      finish_reason: "length",
    });
    expect(server.requests.map((r) => r.n)).toEqual([3, 3, 1]);
  });

  it("reports usage counted with the tokenizer unless the script sets or omits it", async () => {
    const server = await start([
      { when: { stage: "count" }, reply: { content: "hello world" } },
      { when: { stage: "set" }, reply: { content: "x", usage: { promptTokens: 7, completionTokens: 3 } } },
      { when: { stage: "none" }, reply: { content: "x", omitUsage: true } },
    ]);
    const counted = await ask(server, { stage: "count", prompt: "hello" });
    expect(counted.body.usage?.completion_tokens).toBe(2);
    expect(counted.body.usage?.prompt_tokens).toBeGreaterThan(1);
    expect((await ask(server, { stage: "set" })).body.usage).toMatchObject({
      prompt_tokens: 7,
      completion_tokens: 3,
    });
    expect((await ask(server, { stage: "none" })).body.usage).toBeUndefined();
  });

  it("reads contentFile relative to the script and serves the /chat/completions alias and /v1/models", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scripted-"));
    writeFileSync(join(dir, "answer.md"), "from a file\n");
    const server = await start([{ when: { model: "coder" }, reply: { contentFile: "answer.md" } }], dir);
    expect((await ask(server, { model: "coder", path: "/chat/completions" })).texts).toEqual([
      "from a file\n",
    ]);
    const models = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["coder", "scripted-model"]);
  });

  it("waits delayMs before answering", async () => {
    const server = await start([{ reply: { content: "late", delayMs: 150 } }]);
    const started = Date.now();
    expect((await ask(server)).texts).toEqual(["late"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("rejects a request that is not a chat completion request", async () => {
    const server = await start([{ reply: { content: "x" } }]);
    const response = await fetch(`${server.url}/chat/completions`, { method: "POST", body: "{not json" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /bad chat request/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("refuses an invalid script with one problem per mistake", async () => {
    await expect(
      startScriptedModel({
        script: {
          rules: [
            { when: { prompt: "(unclosed" }, reply: { content: "x" } },
            { reply: { content: "x" }, replies: [{ content: "y" }] },
            { reply: { status: 500, content: "x" } },
            { reply: { content: "x", colour: "red" } },
          ],
        },
      }),
    ).rejects.toThrow(
      /rules\.0\.when\.prompt: not a valid regular expression[\s\S]*rules\.1: give exactly one of reply or replies[\s\S]*rules\.2\.reply: an error reply \(status 500\) has no content[\s\S]*rules\.3\.reply\.colour: unknown key; allowed here: content, contentFile, choices/,
    );
  });
});
