#!/usr/bin/env bash
# `npm test`: prepares what the tests need, then runs the whole suite: the unit, e2e and docker tiers
# (vitest projects, see vitest.config.ts). Arguments go to vitest (`npm run test:docker` passes
# `--project docker`).
# Docker: the sandbox tests need a running engine and locally built images (no registry pulls).
# Set AUTOFIX_SKIP_DOCKER_SETUP=1 to skip that preparation (the Docker tests then fail, or skip
# loudly outside CI), AUTOFIX_SKIP_FIXTURES=1 to skip the npm fixtures; `npm run test:unit` and
# `npm run test:e2e` need no preparation.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${AUTOFIX_SKIP_DOCKER_SETUP:-0}" != "1" ]; then
  bash scripts/docker/prepare-sandbox.sh
fi
# Real-bug fixtures from the npm registry (express@4.10.6 for BugsJS Express-1), cached on the host.
if [ "${AUTOFIX_SKIP_FIXTURES:-0}" != "1" ]; then
  bash scripts/fixtures/prepare-express.sh
fi
if [ "$#" -eq 0 ]; then
  # The whole run also checks types and lint, so CI fails on either.
  tsc -p tsconfig.json
  biome check
fi
# A plain closing line ("N passed, N failed, N skipped") for readers that do not know vitest's summary.
summary="$(mktemp)"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$summary" "$@" || status=$?
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$summary" || true
rm -f "$summary"
exit "$status"
