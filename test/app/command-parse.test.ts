import { describe, expect, it } from "vitest";
import { mightBeCommand, parseCommand, slugOf } from "../../src/app/commands.ts";

describe("parseCommand", () => {
  it("reads /autofix and a mention of the App, on any line, in any case", () => {
    expect(parseCommand("/autofix retry", "fixer")).toBe("retry");
    expect(parseCommand("  /AutoFix STOP  ", "fixer")).toBe("stop");
    expect(parseCommand("Thanks!\n\n@fixer status please", "fixer")).toBe("status");
    expect(parseCommand("@Fixer retry", "fixer")).toBe("retry");
    expect(parseCommand("@fixer[bot] stop", "fixer")).toBe("stop");
    expect(parseCommand("/autofix retry\r\n/autofix stop", "fixer")).toBe("retry");
  });

  it("ignores other verbs, other apps, words that only start alike, and prose mentions", () => {
    expect(parseCommand("/autofix merge", "fixer")).toBeUndefined();
    expect(parseCommand("/autofix", "fixer")).toBeUndefined();
    expect(parseCommand("@other-app retry", "fixer")).toBeUndefined();
    expect(parseCommand("@fixer-two retry", "fixer")).toBeUndefined();
    expect(parseCommand("/autofixer retry", "fixer")).toBeUndefined();
    expect(parseCommand("please run /autofix retry", "fixer")).toBeUndefined();
    expect(parseCommand("@fixer retry", undefined)).toBeUndefined();
  });

  it("does not run quoted commands or commands inside code blocks", () => {
    expect(parseCommand("> /autofix retry\n\nI agree", "fixer")).toBeUndefined();
    expect(parseCommand("```\n/autofix stop\n```", "fixer")).toBeUndefined();
    expect(parseCommand("~~~~\n```\n/autofix stop\n~~~~\n/autofix status", "fixer")).toBe("status");
    expect(parseCommand("````\n```\n/autofix stop\n````", "fixer")).toBeUndefined();
  });
});

describe("helpers", () => {
  it("turns the bot login into the slug people mention", () => {
    expect(slugOf("fixer[bot]")).toBe("fixer");
  });

  it("lets ordinary comments through the cheap pre-check without a command", () => {
    expect(mightBeCommand("LGTM, thanks")).toBe(false);
    expect(mightBeCommand("/autofix status")).toBe(true);
  });
});
