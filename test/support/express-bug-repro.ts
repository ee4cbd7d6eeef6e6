/**
 * The reproduction test of the Express fixture: node:test and node's http module only (no
 * supertest), CommonJS like express@4.10.6. The bug: a method with two handlers is listed twice.
 */
export const REPRODUCTION_TEST_PATH = "test/options-allow.test.js";
export const REPRODUCTION_TEST_ID = `${REPRODUCTION_TEST_PATH} > OPTIONS lists each method once in Allow`;

export const REPRODUCTION_TEST = `"use strict";
const test = require("node:test");
const assert = require("node:assert");
const http = require("node:http");
const express = require("..");

function options(server, url) {
  return new Promise((resolve, reject) => {
    const { port } = server.address();
    const request = http.request({ host: "127.0.0.1", port, method: "OPTIONS", path: url }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.headers.allow));
    });
    request.on("error", reject);
    request.end();
  });
}

test("OPTIONS lists each method once in Allow", async () => {
  const app = express();
  app.get("/users", (req, res) => res.end());
  app.put("/users", (req, res) => res.end());
  app.get("/users", (req, res) => res.end());
  const server = http.createServer(app);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    assert.strictEqual(await options(server, "/users"), "GET,PUT");
  } finally {
    server.close();
  }
});
`;
