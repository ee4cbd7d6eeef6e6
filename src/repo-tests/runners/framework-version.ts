import type { SandboxFile } from "../../sandbox/sandbox.ts";
import { REPORT_DIR } from "../types.ts";

/** Where each plan writes `<package>\t<version>\t<where it runs from>` before it runs the tests. */
export const VERSION_FILE = `${REPORT_DIR}/version`;

/** What ran the tests: the framework's package, version and location, as the container saw them. */
export type FrameworkIdentity = {
  name: string;
  /** "missing" when the command was not found, "unknown" when its package could not be read. */
  version: string;
  location: string;
};

/**
 * For pytest, a plugin (`-p`, with REPORT_DIR put on PYTHONPATH) writes the identity from inside
 * the run: a separate `import pytest` would cost each run half a second or more. When pytest never
 * got to configure its plugins (not installed, a crash while loading conftest.py), the command
 * writes "unknown" after the run.
 */
export const PYTEST_VERSION_PLUGIN = "autofix_pytest_version";
export const PYTEST_VERSION_PLUGIN_FILE: SandboxFile = {
  path: `${REPORT_DIR}/${PYTEST_VERSION_PLUGIN}.py`,
  content: `import os

import pytest


def pytest_configure(config):
    with open(${JSON.stringify(VERSION_FILE)}, "w") as out:
        out.write("pytest\\t%s\\t%s" % (pytest.__version__, os.path.dirname(pytest.__file__)))
`,
};
export const PYTEST_PYTHONPATH = `PYTHONPATH=${REPORT_DIR}\${PYTHONPATH:+:$PYTHONPATH}`;
export const PYTEST_VERSION_FALLBACK = `[ -s ${VERSION_FILE} ] || printf 'pytest\\tunknown\\tpython3 -m pytest' > ${VERSION_FILE}`;

/** For `node --test` the framework is node itself. */
export const NODE_VERSION_PROBE = `printf 'node\\t%s\\t%s' "$(node --version | cut -c2-)" "$(command -v node)" > ${VERSION_FILE} 2>/dev/null`;

export function parseFrameworkIdentity(text: string | undefined): FrameworkIdentity | null {
  const [name, version, location] = (text ?? "").trim().split("\t");
  if (!name || !version || location === undefined) return null;
  return { name, version, location };
}

/** "mocha 2.5.3 (node_modules/.bin/mocha)", "jest (not found: node_modules/.bin/jest)". */
export function describeFramework(framework: string, identity: FrameworkIdentity | null): string {
  if (identity === null) return `${framework} (version unknown)`;
  if (identity.version === "missing") return `${framework} (not found: ${identity.location})`;
  const name = identity.name === framework ? framework : `${framework} [${identity.name}]`;
  if (identity.version === "unknown") return `${name} (version unknown, ${identity.location})`;
  return `${name} ${identity.version} (${identity.location})`;
}
