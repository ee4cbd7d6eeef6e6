import { describe, expect, it } from "vitest";
import { problemsWith, readEnvironment } from "../../src/config/environment.ts";
import { workerEnabled } from "../../src/worker/settings.ts";

describe("the environment, parsed once", () => {
  it("takes defaults, counts NAME= as unset, and ignores variables it does not know", () => {
    const environment = readEnvironment({ PORT: "", APP_ID: "7", SOMETHING_ELSE: "x" });
    expect(environment.problems).toEqual([]);
    expect(environment.values).toMatchObject({ PORT: 3000, APP_ID: "7", AUTOFIX_JOB_MAX_ATTEMPTS: 3 });
    expect(environment.values).not.toHaveProperty("SOMETHING_ELSE");
  });

  it("names each refused variable with its value and what was expected; it takes its default meanwhile", () => {
    const environment = readEnvironment({ PORT: "99999", AUTOFIX_JOB_MAX_ATTEMPTS: "2" });
    expect(environment.problems).toEqual([
      expect.objectContaining({ variable: "PORT", path: "PORT", value: "99999" }),
    ]);
    expect(environment.values).toMatchObject({ PORT: 3000, AUTOFIX_JOB_MAX_ATTEMPTS: 2 });
    expect(problemsWith(environment, ["AUTOFIX_JOB_MAX_ATTEMPTS"])).toEqual([]);
  });

  it("AUTOFIX_WORKER is on unless off, in any case; anything else is an error naming it", () => {
    expect(workerEnabled(readEnvironment({}))).toBe(true);
    expect(workerEnabled(readEnvironment({ AUTOFIX_WORKER: " OFF " }))).toBe(false);
    expect(() => workerEnabled(readEnvironment({ AUTOFIX_WORKER: "maybe" }))).toThrow(
      "AUTOFIX_WORKER=maybe is neither on nor off",
    );
  });

  it("trims the model's values (blank is unset), and refuses an empty sandbox value rather than ignore it", () => {
    const environment = readEnvironment({
      AUTOFIX_LLM_MODEL: " m ",
      AUTOFIX_LLM_API_KEY: "  ",
      AUTOFIX_SANDBOX_CA_BUNDLE: "",
    });
    expect(environment.values).toMatchObject({ AUTOFIX_LLM_MODEL: "m", AUTOFIX_LLM_API_KEY: undefined });
    expect(environment.problems.map((problem) => problem.variable)).toEqual(["AUTOFIX_SANDBOX_CA_BUNDLE"]);
  });
});
