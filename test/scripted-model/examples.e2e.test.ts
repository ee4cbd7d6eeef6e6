import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { extractJson, extractLines } from "../../src/llm/extract.ts";
import { readScriptFile } from "../../src/scripted-model/load-script.ts";
import { type ScriptedModel, startScriptedModel } from "../../src/scripted-model/server.ts";

const DIR = "examples/scripted-model";
const servers: ScriptedModel[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function answer(server: ScriptedModel, stage: string, prompt: string): Promise<string> {
  const response = await fetch(`${server.url}/chat/completions`, {
    method: "POST",
    headers: { "x-autofix-stage": stage },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: prompt }] }),
  });
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content ?? "";
}

const elements = z.record(z.string(), z.array(z.string()));

describe("example scripts", () => {
  it.each(readdirSync(DIR).filter((name) => name.endsWith(".yml")))("%s is a valid script", (name) => {
    const result = readScriptFile(join(DIR, name));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("messy-output.yml feeds the extraction helpers what they must survive", async () => {
    const server = await startScriptedModel({ scriptPath: join(DIR, "messy-output.yml") });
    servers.push(server);
    const ask = (which: string) => answer(server, "localize.elements", `CASE ${which}`);
    expect(extractJson(await ask("truncated-json"), elements)).toMatchObject({
      ok: false,
      reason: "truncated",
    });
    expect(extractJson(await ask("trailing-commas"), elements)).toEqual({
      ok: true,
      from: "fenced",
      value: { "src/dates/parse.py": ["function: parse_date"], "src/dates/tz.py": ["class: FixedOffset"] },
    });
    expect(extractJson(await ask("example-then-answer"), elements)).toMatchObject({
      ok: true,
      value: { "src/dates/parse.py": ["function: parse_date"] },
    });
    expect(extractLines(await ask("bullets"))).toEqual(["src/dates/parse.py", "src/dates/tz.py"]);
    expect(extractJson(await ask("refusal"), elements)).toMatchObject({ ok: false, reason: "no_answer" });
  });

  it("happy-path.yml answers each stage with prose around a fenced answer", async () => {
    const server = await startScriptedModel({ scriptPath: join(DIR, "happy-path.yml") });
    servers.push(server);
    expect(extractLines(await answer(server, "localize.files", "which files?"))).toEqual([
      "src/dates/parse.py",
      "src/dates/tz.py",
      "src/dates/__init__.py",
    ]);
    const found = extractJson(await answer(server, "localize.elements", "which elements?"), elements);
    expect(found.ok && Object.keys(found.value)).toEqual(["src/dates/parse.py", "src/dates/tz.py"]);
  });
});
