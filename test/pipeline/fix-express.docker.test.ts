import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { reportSchema } from "../../src/contract/report.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import {
  type ExpressBugFixture,
  expressBugRepo,
  expressFixtureCacheDir,
  expressFixturePrepared,
} from "../support/express-bug.ts";
import { autofixAgainst, withScriptedModel } from "./fix-helpers.ts";

// A real bug: BugsJS Express-1 (expressjs/express#2458) in express@4.10.6 from npm, prepared on the host
// by scripts/fixtures/prepare-express.sh. With CI set a missing fixture fails (expressBugRepo throws).
const prepared = expressFixturePrepared();
if (!prepared && !process.env.CI) {
  process.stderr.write(
    `\n!!! autofix fix on Express: SKIPPED — ${expressFixtureCacheDir()} is not prepared.\n\n`,
  );
}
const gate = await dockerGate("autofix fix end-to-end (Express)");
const cache = mkdtempSync(path.join(tmpdir(), "autofix-fix-cache-"));

/** A candidate that still lists GET twice: it copies the methods instead of de-duplicating them. */
const WRONG =
  "The methods array may be shared; copy it first:\n\n```javascript\n### lib/router/index.js\n<<<<<<< SEARCH\n          options.push.apply(options, route._options());\n=======\n          options.push.apply(options, route._options().slice());\n>>>>>>> REPLACE\n```\n";

/** The SCRIPTED model (no model is reachable here): localization, the reproduction test, `repair` answers. */
function script(fixture: ExpressBugFixture, repair: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-express-script-"));
  const file = path.join(dir, "script.yml");
  const reply = (content: string) => ({ content });
  const rules = [
    {
      when: { stage: "localize.files" },
      reply: reply(
        "The OPTIONS response is built by the router:\n\n```\nlib/router/index.js\nlib/router/route.js\n```\n",
      ),
    },
    {
      when: { stage: "localize.elements" },
      reply: reply("```\nlib/router/index.js::proto.handle\nlib/router/route.js::Route._options\n```\n"),
    },
    { when: { stage: "localize.lines" }, reply: reply("```\nlib/router/index.js:200-215\n```\n") },
    {
      when: { stage: "reproduce.sample" },
      reply: reply(
        `A test with node:test and http only:\n\n\`\`\`javascript\n${fixture.reproductionTest.content}\`\`\`\n`,
      ),
    },
    // The first (greedy, n=1) call gets the first answer; the next call one answer per sample.
    repair.length === 1
      ? { when: { stage: "repair.*" }, reply: reply(repair[0] ?? "") }
      : { when: { stage: "repair.*" }, replies: [reply(repair[0] ?? ""), { choices: repair.slice(1) }] },
  ];
  writeFileSync(file, stringify({ rules, fallback: { status: 404, error: "no rule" } }));
  return file;
}

async function fix(fixture: ExpressBugFixture, repair: string[]) {
  const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
  const config = path.join(out, "autofix.yml");
  // express from npm ships no tests: no regression test can run, so a patch needs the opt-in.
  writeFileSync(
    config,
    "localization:\n  locationSets: 1\nreproduction:\n  samples: 2\nrepair:\n  candidatesPerSet: 4\n" +
      "validation:\n  allowPatchWithoutRegressionTests: true\n",
  );
  const issue = path.join(out, "issue.md");
  writeFileSync(issue, `Allow header lists a method twice\n${fixture.issueText}\n`);
  const args = ["fix", "--repo", fixture.dir, "--issue", issue, "--out", out, "--config", config, "--json"];
  const run = await withScriptedModel(script(fixture, repair), (model) => autofixAgainst(model, args, cache));
  const report = reportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
  return { run, report, out };
}

describe.skipIf(gate.skip || (!prepared && !process.env.CI))(
  "autofix fix on a real Express bug (scripted model, real Docker)",
  () => {
    let fixture: ExpressBugFixture;
    beforeAll(async () => {
      fixture = await expressBugRepo();
    });
    afterAll(() => fixture?.cleanup());

    it("proposes the gold fix, with its reformatted twin in its group, over a wrong and a truncated candidate", async () => {
      const reformatted = fixture.goldAnswer
        .replace(
          "for (var i = 0; i < addition.length; i++) {",
          "for (var i=0; i<addition.length; i++) { // each method once",
        )
        .replaceAll("list.push(method);", "list.push(method)");
      const truncated = fixture.goldAnswer.slice(0, fixture.goldAnswer.indexOf("=======") + 8);
      const { run, report, out } = await fix(fixture, [fixture.goldAnswer, reformatted, WRONG, truncated]);
      expect(run.code).toBe(0);
      expect(report.decision).toBe("patch");
      expect(report.regressionSummary).toMatchObject({ scope: "none", tests: 0 });
      expect(report.reason).toContain("accepted because validation.allowPatchWithoutRegressionTests is set");
      const patch = readFileSync(path.join(out, "patch.diff"), "utf8");
      expect(patch).toContain("+          appendMethods(options, route._options());");
      expect(patch).toContain("+function appendMethods(list, addition) {");
      const chosen = report.groups.find((group) => group.key === report.patch?.group);
      expect(chosen?.members).toEqual(["r0s1c1", "r0s1c2"]);
      expect(report.reproduction.framework).toBe("node-test");
      expect(report.evidence).toEqual([
        expect.objectContaining({
          test: expect.stringMatching(/ > OPTIONS lists each method once in Allow$/),
          kind: "reproduction",
          before: "failed",
          after: "passed",
        }),
      ]);
      const wrong = report.groups.find((group) => group.members.includes("r0s1c3"));
      expect(wrong?.members).toEqual(["r0s1c3"]);
      expect(wrong?.validated).toBe(false);
      expect(report.candidates.find((c) => c.id === "r0s1c4")?.status).toBe("refused");
    });

    it("abstains when only the wrong candidate is offered", async () => {
      const { run, report, out } = await fix(fixture, [WRONG]);
      expect(run.code).toBe(3);
      expect(report.reason).toMatch(/^no group was validated: .*failed→failed/);
      expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
    });
  },
);
