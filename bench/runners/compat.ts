import { HTTP_COMPAT_FILE } from "../selection/compat.ts";

/**
 * `process.binding('http_parser')` is gone from Node 24 (DEP0111); http-deceiver (through spdy, in
 * 2016-era dev dependencies) reads HTTPParser and its methods from it when loaded. `_http_common`
 * still exports both.
 */
const HTTP_PARSER_BINDING = `"use strict";
const binding = process.binding;
process.binding = function (name) {
  if (name === "http_parser") {
    const common = require("_http_common");
    return { HTTPParser: common.HTTPParser, methods: common.methods };
  }
  return binding.apply(this, arguments);
};
`;

/**
 * graceful-fs ≤ 3 gets its private copy of `fs` by evaluating Node's own fs source
 * (`process.binding('natives').fs`), which since Node 12 needs internal `primordials`: loading it
 * throws "primordials is not defined". A shallow copy of `fs` is the private copy it wanted.
 */
const GRACEFUL_FS_NATIVES = `"use strict";
const Module = require("module");
const loadJs = Module._extensions[".js"];
Module._extensions[".js"] = function (module, filename) {
  if (filename.endsWith(require("path").join("graceful-fs", "fs.js"))) {
    module.exports = Object.assign({}, require("fs"));
    return;
  }
  return loadJs.apply(this, arguments);
};
`;

/** Node ≤ 20 behaviour old dependencies need, by the name the corpus gives it. */
export const COMPAT_SHIMS = {
  "node20-http": String(HTTP_COMPAT_FILE.content),
  "http-parser-binding": HTTP_PARSER_BINDING,
  "graceful-fs-natives": GRACEFUL_FS_NATIVES,
} as const;

export type CompatName = keyof typeof COMPAT_SHIMS;
