// `npm run bench -- sandbox [runs]`: what the Docker sandbox costs.
//  1. overhead of one sandboxed run over the same command run bare on the host (target ≤ 0.5 s);
//  2. prepare (setup committed to an image) without and with the setup-image cache;
//  3. one whole test-suite run per fixture framework, for scale.
// Needs a Docker engine and the images: scripts/docker/ensure-dockerd.sh && images/build.sh.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { testRepository } from "../src/repo-tests/test-repo.ts";
import { DockerSandbox, setupImageRepo } from "../src/sandbox/docker-sandbox.ts";

const runs = Number(process.argv[2] ?? 10);
const fixture = (name: string) => path.resolve(import.meta.dirname, "../test/fixtures/sandbox", name);
const sandbox = await DockerSandbox.connect();

function stats(samples: number[]): { median: number; p90: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), min: sorted[0] ?? Number.NaN };
}
const ms = (value: number) => `${Math.round(value)} ms`;
async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
async function sample(fn: () => unknown | Promise<unknown>): Promise<ReturnType<typeof stats>> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await time(fn));
  return stats(samples);
}

console.log(`sandbox benchmark: ${runs} runs each (median, p90), image autofix/python:3\n`);
const prepared = await sandbox.prepare({
  repoKey: "bench/py-calc",
  commit: "bench",
  image: "autofix/python:3",
  setup: null,
  workspaceDir: fixture("py-calc"),
  network: false,
});

// The host's real python3 (not a shim script), so "bare" is the same program.
const hostPython = spawnSync("python3", ["-c", "import sys; print(sys.executable)"]).stdout.toString().trim();
const commands = [
  { label: "`sh -c 'echo hi'`", bare: ["/bin/sh", "-c", "echo hi"], boxed: ["/bin/sh", "-c", "echo hi"] },
  {
    label: "`python3 -c 'print(sum(range(1000)))'`",
    bare: [hostPython, "-c", "print(sum(range(1000)))"],
    boxed: ["python3", "-c", "print(sum(range(1000)))"],
  },
];
console.log("1. overhead of one run");
for (const { label, bare: bareArgv, boxed: command } of commands) {
  const bare = await sample(() => spawnSync(bareArgv[0] ?? "", bareArgv.slice(1)));
  const boxed = await sample(() => sandbox.run({ image: prepared.image, command }));
  const overlay = await sample(() =>
    sandbox.run({ image: prepared.image, files: [{ path: "calc/ops.py", content: "# patched\n" }], command }),
  );
  const upload = await sample(() =>
    sandbox.run({ image: "autofix/python:3", workspaceDir: fixture("py-calc"), command }),
  );
  console.log(`   ${label}`);
  console.log(`     bare on the host                   ${ms(bare.median)} (p90 ${ms(bare.p90)})`);
  console.log(`     sandboxed, prepared image          ${ms(boxed.median)} (p90 ${ms(boxed.p90)})`);
  console.log(`     sandboxed, + one overlay file      ${ms(overlay.median)} (p90 ${ms(overlay.p90)})`);
  console.log(`     sandboxed, workspace copied in     ${ms(upload.median)} (p90 ${ms(upload.p90)})`);
  console.log(`     overhead, prepared (median)        ${ms(boxed.median - bare.median)}  (target ≤ 500 ms)`);
  console.log(`     overhead, + overlay (median)       ${ms(overlay.median - bare.median)}`);
}
console.log("");

const setup = "python3 -m pytest --collect-only -q -p no:cacheprovider > .collected";
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) {
  const spec = {
    repoKey: "bench/py-calc",
    commit: `bench-${Date.now()}-${i}`,
    image: "autofix/python:3",
    setup,
    workspaceDir: fixture("py-calc"),
    network: false,
  };
  cold.push(await time(() => sandbox.prepare(spec)));
  warm.push(await time(() => sandbox.prepare(spec)));
}
console.log(`2. prepare (setup: \`${setup}\`)`);
console.log(`   without cache (copy, setup, commit)  ${ms(stats(cold).median)} (p90 ${ms(stats(cold).p90)})`);
console.log(
  `   with the setup-image cache           ${ms(stats(warm).median)} (p90 ${ms(stats(warm).p90)})\n`,
);

console.log("3. one whole-suite run per fixture (prepare cached, 1 run)");
for (const name of ["py-calc", "js-vitest", "js-jest", "js-mocha", "js-node-test"]) {
  await testRepository(sandbox, { repoDir: fixture(name), runs: 1 }); // warm the setup cache
  const elapsed = await sample(() => testRepository(sandbox, { repoDir: fixture(name), runs: 1 }));
  console.log(`   ${name.padEnd(14)} ${ms(elapsed.median)} (p90 ${ms(elapsed.p90)})`);
}

const images = await sandbox.docker.listImages({
  filters: { reference: [`${setupImageRepo("bench/py-calc")}:*`] },
});
for (const image of images)
  await sandbox.docker
    .getImage(image.Id)
    .remove({ force: true })
    .catch(() => undefined);
const left = await sandbox.leftovers();
if (left.length > 0) console.log(`\n!!! ${left.length} containers left behind`);
