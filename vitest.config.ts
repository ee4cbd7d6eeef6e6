import { configDefaults, defineConfig } from "vitest/config";

// Three tiers, told apart by the file name (README, Development):
// - unit (`*.test.ts`): in-process only — no processes, no Docker, no network (test/unit-guard.ts
//   makes a test that tries fail);
// - e2e (`*.e2e.test.ts`): spawns processes (the CLI, the App, git), serves the GitHub stand-in or
//   the scripted model server;
// - docker (`*.docker.test.ts`): needs the Docker engine and the sandbox images.
const E2E = "test/**/*.e2e.test.ts";
const DOCKER = "test/**/*.docker.test.ts";

export default defineConfig({
  test: {
    // A cap for hung tests, not a speed target: Docker suites on a loaded 2-core machine (load 10+)
    // take minutes, and every test waits for conditions rather than for fixed times.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, E2E, DOCKER],
          setupFiles: ["test/unit-guard.ts"],
          // Importing the sources again for each of ~60 files was most of the tier's time (about 50 s
          // isolated, 12 s not, on 2 cores): a unit test restores what it changes (env, globals).
          isolate: false,
        },
      },
      { extends: true, test: { name: "e2e", include: [E2E] } },
      { extends: true, test: { name: "docker", include: [DOCKER] } },
    ],
  },
});
