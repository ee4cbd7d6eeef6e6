import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../../bin/autofix.js");

function scriptFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "scripted-cli-"));
  const path = join(dir, "script.yml");
  writeFileSync(path, text);
  return path;
}

describe("autofix scripted-model", () => {
  it("exits 2 with one line per problem in a bad script", () => {
    const path = scriptFile(
      [
        "rules:",
        "  - when: { stage: localize.files, prompt: '(oops' }",
        "    reply: { content: hi, status: 500 }",
        "  - when: { stag: repair }",
        "    reply: { content: hi }",
      ].join("\n"),
    );
    const run = spawnSync(process.execPath, [CLI, "scripted-model", "--script", path], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      `${path}:2: rules.0.when.prompt: not a valid regular expression: /(oops/: Unterminated group (got "(oops")`,
      `${path}:3: rules.0.reply: an error reply (status 500) has no content`,
      `${path}:4: rules.1.when.stag: unknown key; allowed here: stage, model, prompt, system`,
      "3 problem(s); see docs/scripted-model.md for the format.",
    ]);
  });

  it("reports a YAML syntax error with its line", () => {
    const path = scriptFile("rules:\n  - when: { stage: a\n    reply: x\n");
    const run = spawnSync(process.execPath, [CLI, "scripted-model", "--script", path], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/script\.yml:\d+: \(yaml\): syntax error: /);
  });

  it("refuses a bad port", () => {
    const path = scriptFile("rules: []\n");
    const run = spawnSync(process.execPath, [CLI, "scripted-model", "--script", path, "--port", "http"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--port "http": expected an integer from 0 to 65535');
  });

  it("serves the script standalone, prints the base URL, and stops cleanly on SIGTERM", async () => {
    const path = scriptFile(
      "rules:\n  - when: { stage: localize.files }\n    reply: { content: 'src/a.py' }\n",
    );
    const child = spawn(process.execPath, [CLI, "scripted-model", "--script", path, "--port", "0"], {
      stdio: "pipe",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 15_000);
        child.stdout.on("data", () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(stdout);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      expect(stdout).toContain(`AUTOFIX_LLM_BASE_URL=${url}`);
      const response = await fetch(`${url}/chat/completions`, {
        method: "POST",
        headers: { "x-autofix-stage": "localize.files" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "which files?" }] }),
      });
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toBe("src/a.py");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain("localize.files model=m n=1 → rules[0] 200");
    expect(stdout).toContain("scripted model stopped after 1 request(s)");
  });
});
