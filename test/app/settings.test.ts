import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDotEnv } from "../../src/app/dotenv.ts";
import { findPrivateKey } from "../../src/app/private-key.ts";
import { decideMode, readSettings } from "../../src/app/settings.ts";
import { readEnvironment } from "../../src/config/environment.ts";
import { AutofixError } from "../../src/errors.ts";

let pkcs1: string;
let pkcs8: string;
beforeAll(() => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  pkcs1 = pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  pkcs8 = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
});

const dirs: string[] = [];
const emptyDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "autofix-settings-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): AutofixError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AutofixError) return error;
    throw error;
  }
  throw new Error("expected an AutofixError");
}

describe("findPrivateKey", () => {
  it("accepts the PEM as written, with escaped newlines, on one line, or base64-encoded", () => {
    const cwd = emptyDir();
    for (const text of [
      pkcs1,
      pkcs1.replace(/\n/g, "\\n"),
      pkcs8.replace(/\n/g, " "),
      Buffer.from(pkcs8).toString("base64"),
    ]) {
      const key = findPrivateKey({ PRIVATE_KEY: text }, cwd);
      expect(key?.source).toBe("PRIVATE_KEY");
      expect(key?.pem.trim()).toBe((text.includes("RSA") ? pkcs1 : pkcs8).trim());
    }
  });

  it("reads PRIVATE_KEY_PATH, else the single .pem file in the working directory", () => {
    const cwd = emptyDir();
    expect(findPrivateKey({}, cwd)).toBeUndefined();
    writeFileSync(join(cwd, "my-app.2024-01-01.private-key.pem"), pkcs1);
    expect(findPrivateKey({}, cwd)?.source).toBe("my-app.2024-01-01.private-key.pem");
    writeFileSync(join(cwd, "other.pem"), pkcs8);
    expect(thrown(() => findPrivateKey({}, cwd)).code).toBe("private_key_ambiguous");
    expect(findPrivateKey({ PRIVATE_KEY_PATH: "other.pem" }, cwd)?.pem.trim()).toBe(pkcs8.trim());
  });

  it("names the variable when it holds no usable key", () => {
    const cwd = emptyDir();
    const garbled = thrown(() =>
      findPrivateKey(
        { PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nxyz\n-----END RSA PRIVATE KEY-----" },
        cwd,
      ),
    );
    expect(garbled.code).toBe("private_key_invalid");
    expect(garbled.message).toContain("PRIVATE_KEY");
    const missing = thrown(() => findPrivateKey({ PRIVATE_KEY_PATH: "nope.pem" }, cwd));
    expect(missing.message).toMatch(/PRIVATE_KEY_PATH: cannot read .*nope\.pem/);
  });
});

describe("readSettings and decideMode", () => {
  it("derives the GitHub API from GHE_HOST and GHE_PROTOCOL, and treats NAME= as unset", () => {
    const cwd = emptyDir();
    expect(readSettings(readEnvironment({ APP_ID: "" }), cwd)).toMatchObject({
      githubApiUrl: "https://api.github.com",
      appId: undefined,
      port: 3000,
    });
    expect(
      readSettings(readEnvironment({ GHE_HOST: "git.corp.example:8443", GHE_PROTOCOL: "http" }), cwd)
        .githubApiUrl,
    ).toBe("http://git.corp.example:8443/api/v3");
  });

  it("rejects malformed values, naming each variable", () => {
    const error = thrown(() =>
      readSettings(readEnvironment({ PORT: "99999", APP_ID: "my-app", GHE_HOST: "https://x" }), emptyDir()),
    );
    expect(error.code).toBe("app_env_invalid");
    expect(error.message).toMatch(/PORT: .*APP_ID: .*GHE_HOST: /);
  });

  it("is an App with an ID and a key, in set-up mode otherwise, and an error in production", () => {
    const cwd = emptyDir();
    const withKey = { APP_ID: "7", PRIVATE_KEY: pkcs1 };
    expect(decideMode(readSettings(readEnvironment(withKey), cwd))).toBe("app");
    expect(decideMode(readSettings(readEnvironment({ APP_ID: "7" }), cwd))).toBe("setup");
    const production = thrown(() =>
      decideMode(readSettings(readEnvironment({ ...withKey, NODE_ENV: "production" }), cwd)),
    );
    expect(production.message).toMatch(/^WEBHOOK_SECRET is not set/);
    expect(
      decideMode(
        readSettings(readEnvironment({ ...withKey, NODE_ENV: "production", WEBHOOK_SECRET: "s" }), cwd),
      ),
    ).toBe("app");
  });
});

describe("loadDotEnv", () => {
  it("fills in unset variables from .env and leaves the real environment alone", () => {
    const cwd = emptyDir();
    expect(loadDotEnv(cwd, {})).toEqual([]);
    writeFileSync(join(cwd, ".env"), 'APP_ID=12\nPORT=4000\nPRIVATE_KEY="line1\\nline2"\n');
    const env: NodeJS.ProcessEnv = { PORT: "5000", APP_ID: "" };
    expect(loadDotEnv(cwd, env).sort()).toEqual(["APP_ID", "PRIVATE_KEY"]);
    expect(env).toEqual({ PORT: "5000", APP_ID: "12", PRIVATE_KEY: "line1\nline2" });
  });
});
