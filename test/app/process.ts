import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const MAIN = join(ROOT, "src/app/main.ts");

const scratchDirs: string[] = [];

/** A scratch working directory holding what Probot reads from the cwd (app.yml, package.json). */
export function scratchCwd(): string {
  const dir = mkdtempSync(join(tmpdir(), "autofix-app-"));
  scratchDirs.push(dir);
  for (const file of ["app.yml", "package.json"]) copyFileSync(join(ROOT, file), join(dir, file));
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export type AppProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** `node src/app/main.ts` with only the given variables (plus PATH/HOME): nothing leaks in from the shell. */
export function startApp(cwd: string, env: Record<string, string>): AppProcess {
  const child = spawn(NODE, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return { child, output: () => output, exited };
}

/** Poll `url` until it answers (the server is up) or the process dies or time runs out (generous: a loaded 2-core host starts Node slowly). */
export async function waitForHttp(url: string, app: AppProcess, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} never answered${exited ? " (the process exited)" : ""}:\n${app.output()}`);
}

export async function stop(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill("SIGTERM");
  await app.exited;
}
