import type { Language } from "../discover.ts";

const PYTHON_TEST = /(^|\/)(test_[^/]*|[^/]*_test|tests)\.py$/;
const JS_EXT = /\.(?:[cm]?[jt]sx?|coffee)$/;
const JS_TEST_NAME = /(^|\/)[^/]+[._-](?:test|spec)\.[cm]?[jt]sx?$/;
const TEST_DIR = /(^|\/)(?:test|tests|__tests__|spec|specs)\//;
const NOT_TESTS =
  /(^|\/)(?:fixtures?|helpers?|utils?|support|mocks?|__mocks__|data|assets|node_modules|bench(?:mark)?s?|perf(?:ormance)?)\//;

/**
 * Name conventions, for a repository that configures nothing the way autofix can read: a test-named
 * file, or a source file anywhere below a `test`/`tests`/`spec` folder (not fixtures or helpers).
 */
export function isConventionalTest(file: string, language: Language): boolean {
  if (language === "python") return PYTHON_TEST.test(file) && !NOT_TESTS.test(file);
  if (!JS_EXT.test(file) || file.endsWith(".d.ts") || NOT_TESTS.test(file)) return false;
  return JS_TEST_NAME.test(file) || TEST_DIR.test(file);
}
