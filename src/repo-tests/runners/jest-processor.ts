import { REPORT_DIR } from "../types.ts";

export const JEST_PROCESSOR_REPORT = `${REPORT_DIR}/jest-processor.json`;
export const JEST_PROCESSOR = `${REPORT_DIR}/jest-processor.cjs`;

/**
 * For jest < 21, whose `--json` report leaves out each test's `ancestorTitles`: a
 * `--testResultsProcessor` (jest ≥ 15) gets the results with them and writes them in the shape
 * `--json` has since jest 21, so one parser reads both. ES5, for the old Node such repos may pin.
 */
export const JEST_PROCESSOR_SOURCE = `"use strict";
var fs = require("fs");
module.exports = function autofixJestProcessor(results) {
  var files = (results.testResults || []).map(function (file) {
    var tests = (file.testResults || []).map(function (test) {
      return {
        ancestorTitles: test.ancestorTitles || [],
        title: test.title,
        status: test.status,
        duration: typeof test.duration === "number" ? test.duration : null,
        failureMessages: test.failureMessages || [],
      };
    });
    var error = file.testExecError ? String(file.testExecError.message || file.testExecError) : "";
    return {
      name: file.testFilePath,
      status: error || file.numFailingTests > 0 ? "failed" : "passed",
      message: file.failureMessage || error,
      assertionResults: tests,
    };
  });
  fs.writeFileSync(${JSON.stringify(JEST_PROCESSOR_REPORT)}, JSON.stringify({ testResults: files }));
  return results;
};
`;
