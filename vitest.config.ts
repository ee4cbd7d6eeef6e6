import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A cap for hung tests, not a speed target: Docker suites on a loaded 2-core machine (load 10+)
    // take minutes, and every test waits for conditions rather than for fixed times.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
