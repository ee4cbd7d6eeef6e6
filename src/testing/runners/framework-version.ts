import type { SandboxFile } from "../../sandbox/sandbox.ts";
import { REPORT_DIR } from "../types.ts";

/** Where each plan writes `<package>\t<version>\t<where it runs from>` before it runs the tests. */
export const VERSION_FILE = `${REPORT_DIR}/version`;
const JS_VERSION_SCRIPT = `${REPORT_DIR}/autofix-version.cjs`;

/** What ran the tests: the framework's package, version and location, as the container saw them. */
export type FrameworkIdentity = {
  name: string;
  /** "missing" when the command was not found, "unknown" when its package could not be read. */
  version: string;
  location: string;
};

/**
 * Node script (ES5 and `require("fs")`, so it runs on the old Node an old repository's image may
 * have): resolves a bin the way the shell would, follows its symlink into the package it belongs
 * to and prints that package's name and version.
 */
const JS_VERSION_SOURCE = `"use strict";
var fs = require("fs");
var path = require("path");
var name = process.argv[2];
var bin = process.argv[3] || name;
function onPath(command) {
  var dirs = (process.env.PATH || "").split(":");
  for (var i = 0; i < dirs.length; i++) {
    var candidate = path.join(dirs[i] || ".", command);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}
var where = bin.indexOf("/") >= 0 ? (fs.existsSync(bin) ? bin : null) : onPath(bin);
if (!where) {
  process.stdout.write(name + "\\tmissing\\t" + bin);
} else {
  var dir = path.dirname(fs.realpathSync(where));
  var found = null;
  for (;;) {
    var manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        var json = JSON.parse(fs.readFileSync(manifest, "utf8"));
        if (json.name && json.version) { found = json; break; }
      } catch (e) {}
    }
    var up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  process.stdout.write((found ? found.name + "\\t" + found.version : name + "\\tunknown") + "\\t" + where);
}
`;

/**
 * Shell that sets `BIN` to the JS tool `binExpression` picks and writes its identity to
 * VERSION_FILE, plus the script it needs. Runs before the tests; never fails the command.
 */
export function jsVersionProbe(name: string, binExpression: string): { shell: string; file: SandboxFile } {
  return {
    shell: `BIN=${binExpression}; node ${JS_VERSION_SCRIPT} ${name} "$BIN" > ${VERSION_FILE} 2>/dev/null`,
    file: { path: JS_VERSION_SCRIPT, content: JS_VERSION_SOURCE },
  };
}

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

/** The same for `node --test`: the framework is node itself. */
export const NODE_VERSION_PROBE = `node -e 'process.stdout.write("node\\t" + process.version.slice(1) + "\\t" + process.execPath)' > ${VERSION_FILE} 2>/dev/null`;

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

/** The major version, or null when it is not a plain number. */
export function majorOf(identity: FrameworkIdentity | null): number | null {
  const major = Number.parseInt(identity?.version ?? "", 10);
  return Number.isFinite(major) ? major : null;
}
