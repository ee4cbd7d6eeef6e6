import type { SandboxFile } from "../../src/sandbox/sandbox.ts";

/**
 * Node ≤ 20 behaviour that these 2014–2015 dependencies rely on and Node 24 removed (DEP0066,
 * end of life): `res._headers` / `res._headerNames`. fresh@0.2 reads `res._headers['last-modified']`,
 * so without it every conditional-GET path throws a TypeError and most Express bugs cannot be run.
 * Preloaded by mocha (`--no-compat` leaves it out); it changes no file of the repository.
 */
export const HTTP_COMPAT_PATH = ".autofix-bench/node20-http-compat.cjs";

const SOURCE = `"use strict";
const { OutgoingMessage } = require("node:http");
const proto = OutgoingMessage.prototype;
if (!Object.getOwnPropertyDescriptor(proto, "_headers")) {
  Object.defineProperty(proto, "_headers", {
    configurable: true,
    get() { return this.getHeaders(); },
    set(value) {
      for (const name of this.getHeaderNames()) this.removeHeader(name);
      if (value && typeof value === "object") for (const name of Object.keys(value)) this.setHeader(name, value[name]);
    },
  });
}
if (!Object.getOwnPropertyDescriptor(proto, "_headerNames")) {
  Object.defineProperty(proto, "_headerNames", {
    configurable: true,
    get() {
      const names = {};
      for (const name of this.getRawHeaderNames()) names[name.toLowerCase()] = name;
      return names;
    },
  });
}
`;

export const HTTP_COMPAT_FILE: SandboxFile = { path: HTTP_COMPAT_PATH, content: SOURCE };
