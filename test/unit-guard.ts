import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

/**
 * The unit tier's promise, checked: a unit test that starts a process, listens on a port or opens a
 * TCP connection fails at once, naming the tier it belongs to, instead of slowing the tier down
 * unnoticed. Unix sockets stay open (a Docker client aimed at a missing socket is a unit test);
 * talking to the real engine is kept out by the `*.docker.test.ts` name and dockerGate.
 */
const ELSEWHERE =
  "it belongs in a *.e2e.test.ts (or *.docker.test.ts) file: the unit tier runs in-process only";

function refuse(what: string): () => never {
  return () => {
    throw new Error(`unit tier: ${what} — ${ELSEWHERE}`);
  };
}

// With `isolate: false` this file runs once per test file in the same process: guard once.
const GUARDED = Symbol.for("autofix.unit-guard");
if (!Reflect.has(globalThis, GUARDED)) {
  Reflect.set(globalThis, GUARDED, true);
  for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
    Object.defineProperty(childProcess, name, { value: refuse(`child_process.${name}()`), writable: true });
  }
  syncBuiltinESMExports();

  net.Server.prototype.listen = refuse("listening on a socket (a server)");

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    if (isTcp(args)) refuse(`a TCP connection (${JSON.stringify(args[0])})`)();
    return Reflect.apply(connect, this, args);
  } as typeof connect;
}

/** `connect(port, …)`, `connect({ port, … })`, or node's internal `connect([{ port, … }, cb])`. */
function isTcp(args: readonly unknown[]): boolean {
  const first: unknown = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === "number") return true;
  return typeof first === "object" && first !== null && "port" in first && !("path" in first && first.path);
}
