import { afterEach } from "vitest";
import type { LlmLogger } from "../../src/llm/logger.ts";
import { OpenAiLlm, type OpenAiSettings } from "../../src/llm/openai-llm.ts";
import { type ScriptedModel, startScriptedModel } from "../../src/scripted-model/server.ts";

/** Scripted servers started by a test file, closed after each test. */
const servers: ScriptedModel[] = [];
export function closeServersAfterEach(): void {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
}

export async function scripted(script: unknown): Promise<ScriptedModel> {
  const server = await startScriptedModel({ script });
  servers.push(server);
  return server;
}

/** Small timeouts and few retries keep the suite fast; the scripted server sends retry-after-ms. */
export function testSettings(baseUrl: string, overrides: Partial<OpenAiSettings> = {}): OpenAiSettings {
  return {
    baseUrl,
    apiKey: "scripted",
    concurrency: 4,
    maxRetries: 2,
    timeoutMs: 2_000,
    samplesMode: "auto",
    ...overrides,
  };
}

export function adapter(
  baseUrl: string,
  overrides: Partial<OpenAiSettings> = {},
  logger?: LlmLogger,
): OpenAiLlm {
  return new OpenAiLlm({
    settings: testSettings(baseUrl, overrides),
    modelFor: (stage) => (stage.startsWith("repair") ? "repair-model" : "scripted-model"),
    ...(logger ? { logger } : {}),
  });
}

export const user = (content: string) => [{ role: "user" as const, content }];

/** A logger that keeps what it was told. */
export function memoryLogger(): LlmLogger & {
  lines: { level: string; message: string; data: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; data: Record<string, unknown> }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, message: string) =>
    lines.push({ level, message, data });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn") };
}
