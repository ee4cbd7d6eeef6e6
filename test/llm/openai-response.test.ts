import { describe, expect, it } from "vitest";
import { LlmResponseError } from "../../src/llm/errors.ts";
import { mapFinishReason, parseChatResponse } from "../../src/llm/openai-response.ts";

const context = {
  stage: "s",
  requestedModel: "asked",
  messages: [{ role: "user" as const, content: "hi" }],
  baseUrl: "http://x/v1",
};

describe("parseChatResponse", () => {
  it("orders choices by index, maps finish reasons and counts usage the endpoint did not report", () => {
    const completion = parseChatResponse(
      {
        choices: [
          { index: 1, message: { content: "second" }, finish_reason: "length" },
          { index: 0, message: { content: null }, finish_reason: "tool_calls" },
        ],
      },
      context,
    );
    expect(completion.model).toBe("asked");
    expect(completion.texts).toEqual(["", "second"]);
    expect(completion.finishReasons).toEqual(["other", "length"]);
    expect(completion.usage.promptTokens).toBeGreaterThan(0);
    expect(completion.usage.completionTokens).toBe(1);
  });

  it("refuses a body that is not a chat completion", () => {
    expect(() => parseChatResponse({ choices: [] }, context)).toThrow(LlmResponseError);
    expect(() => parseChatResponse("<html>proxy error</html>", context)).toThrow(/not a chat completion/);
  });

  it("maps other servers' finish reasons", () => {
    expect(["stop", "eos", "length", "max_tokens", "content_filter", null].map(mapFinishReason)).toEqual([
      "stop",
      "stop",
      "length",
      "length",
      "content_filter",
      "other",
    ]);
  });
});
