import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AutofixError } from "../errors.ts";

export type KeySource = "PRIVATE_KEY" | "PRIVATE_KEY_PATH" | `${string}.pem`;
export type FoundKey = { pem: string; source: KeySource };

const PEM = /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/;

/**
 * The GitHub App's private key, found the way Probot documents it: `PRIVATE_KEY` (PEM text, its
 * newlines escaped as `\n`, or base64 of the PEM), else the file `PRIVATE_KEY_PATH`, else the one
 * `*.pem` file in the working directory. `undefined` when there is none; an AutofixError naming the
 * variable when there is one but it is not a usable key.
 */
export function findPrivateKey(env: NodeJS.ProcessEnv, cwd: string): FoundKey | undefined {
  if (env.PRIVATE_KEY) return { pem: checked(decode(env.PRIVATE_KEY), "PRIVATE_KEY"), source: "PRIVATE_KEY" };
  if (env.PRIVATE_KEY_PATH) {
    const path = resolve(cwd, env.PRIVATE_KEY_PATH);
    return {
      pem: checked(readKeyFile(path, "PRIVATE_KEY_PATH"), "PRIVATE_KEY_PATH"),
      source: "PRIVATE_KEY_PATH",
    };
  }
  const pemFiles = readdirSync(cwd).filter((name) => name.endsWith(".pem"));
  if (pemFiles.length > 1) {
    throw new AutofixError(
      "private_key_ambiguous",
      `more than one .pem file in ${cwd}: ${pemFiles.join(", ")}`,
      {
        hint: "set PRIVATE_KEY_PATH to the App's private key",
      },
    );
  }
  const [file] = pemFiles;
  if (file === undefined) return undefined;
  return { pem: checked(readKeyFile(resolve(cwd, file), file), file), source: file as `${string}.pem` };
}

function decode(value: string): string {
  let text = value.trim();
  if (!text.includes("-----BEGIN") && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
    text = Buffer.from(text, "base64").toString("utf8");
  }
  return text.replace(/\\n/g, "\n");
}

function readKeyFile(path: string, variable: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new AutofixError("private_key_unreadable", `${variable}: cannot read ${path}`, {
      hint: "point PRIVATE_KEY_PATH at the .pem file downloaded from the GitHub App's settings page",
      context: { path },
      cause: error,
    });
  }
}

function checked(text: string, variable: string): string {
  const pem = oneLineToPem(PEM.exec(text)?.[0]);
  try {
    if (pem === undefined) throw new Error("no PEM private key block");
    createPrivateKey(pem);
    return `${pem}\n`;
  } catch (error) {
    throw new AutofixError("private_key_invalid", `${variable} does not hold a usable private key`, {
      hint: "use the .pem file GitHub generated for the App (PRIVATE_KEY may hold its text with \\n for newlines)",
      cause: error,
    });
  }
}

/** A PEM pasted onto one line (newlines turned into spaces) gets its line breaks back. */
function oneLineToPem(pem: string | undefined): string | undefined {
  if (pem === undefined || pem.includes("\n")) return pem;
  return pem.replace(
    /^(-----BEGIN [A-Z ]+-----)\s*(.*?)\s*(-----END [A-Z ]+-----)$/,
    (_all, begin: string, body: string, end: string) => `${begin}\n${body.replace(/\s+/g, "\n")}\n${end}`,
  );
}
