import { REPORT_DIR } from "../types.ts";

export const MOCHA_REPORT = `${REPORT_DIR}/mocha.json`;
export const MOCHA_REPORTER = `${REPORT_DIR}/mocha-reporter.cjs`;

/**
 * Mocha's own JSON reporter joins suite titles with spaces, which makes ids ambiguous; this reporter
 * (put into the container, loaded by absolute path: mocha ≥ 1.3 `require`s a reporter it does not
 * know) writes each test's title path. It runs on every mocha from 2 on:
 * - `titlePath()` exists from mocha 4; before, the path is read off `parent` links, leaving out the
 *   root suite (`root` flag; title "");
 * - `file` is set on tests and suites by the interfaces (mocha ≥ 1.4); hooks may lack it, so it
 *   is looked up on the parent suites;
 * - ES5 and `require("fs")`, for the old Node an old repository's image may carry.
 * It prints one line per failure and a count, so a run's output still says what happened.
 */
export const MOCHA_REPORTER_SOURCE = `"use strict";
var fs = require("fs");
function titlesOf(runnable) {
  if (typeof runnable.titlePath === "function") return runnable.titlePath();
  var titles = [];
  for (var node = runnable; node; node = node.parent) {
    var isRoot = node.root === true || (!node.parent && node !== runnable && !node.title);
    if (!isRoot) titles.unshift(String(node.title));
  }
  return titles;
}
function fileOf(runnable) {
  for (var node = runnable; node; node = node.parent) if (node.file) return String(node.file);
  return null;
}
function messageOf(err) {
  if (!err) return undefined;
  var text = err.stack || err.message || String(err);
  if (err.message && String(text).indexOf(err.message) < 0) text = err.message + "\\n" + text;
  return String(text).slice(0, 4000);
}
module.exports = function AutofixMochaReporter(runner) {
  var results = [];
  var counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
  var seq = 0;
  // mocha 1-3 read reporter.stats at the end of a run (--growl among others): Base's shape.
  var ownStats = !runner.stats;
  var stats = runner.stats || { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };
  this.stats = stats;
  if (ownStats) runner.stats = stats;
  function add(runnable, outcome, err) {
    counts[outcome]++;
    if (ownStats) {
      if (outcome === "passed") stats.passes++;
      else if (outcome === "skipped") stats.pending++;
      else stats.failures++;
      if (runnable.type !== "hook") stats.tests++;
    }
    if (runnable.__autofixSeq === undefined) runnable.__autofixSeq = ++seq;
    results.push({
      seq: runnable.__autofixSeq,
      file: fileOf(runnable),
      titles: titlesOf(runnable),
      hook: runnable.type === "hook",
      outcome: outcome,
      durationMs: typeof runnable.duration === "number" ? runnable.duration : null,
      message: messageOf(err),
    });
    if (outcome === "failed" || outcome === "error") {
      console.log("  " + outcome + ": " + titlesOf(runnable).join(" > ") + "\\n    " + String(messageOf(err)).split("\\n")[0]);
    }
  }
  runner.on("pass", function (test) { add(test, "passed"); });
  runner.on("fail", function (test, err) { add(test, test.type === "hook" ? "error" : "failed", err); });
  runner.on("pending", function (test) { add(test, "skipped"); });
  runner.once("end", function () {
    fs.writeFileSync(${JSON.stringify(MOCHA_REPORT)}, JSON.stringify(results));
    console.log("  " + counts.passed + " passing, " + counts.failed + " failing, " + counts.error + " errors, " + counts.skipped + " pending");
  });
};
`;
