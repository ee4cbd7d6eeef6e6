#!/usr/bin/env bash
# Everything the sandbox tests need: a Docker engine and the sandbox images (cached between runs).
# With CI set, any failure fails (the sandbox tests must never skip there); locally, without root or
# Docker, it warns loudly and lets the rest of the test suite run (the sandbox tests then skip, loudly).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

start=$(date +%s)
if bash "$here/ensure-dockerd.sh" && bash "$root/images/build.sh"; then
  printf 'prepare-sandbox: engine and images ready in %ss\n' $(($(date +%s) - start)) >&2
  exit 0
fi
if [ -n "${CI:-}" ]; then
  printf 'prepare-sandbox: FAILED (CI is set, so the sandbox tests cannot be skipped)\n' >&2
  exit 1
fi
printf '\n!!! prepare-sandbox: no Docker engine or images; the sandbox tests will SKIP.\n!!! Run as root: bash scripts/docker/ensure-dockerd.sh && bash images/build.sh\n\n' >&2
exit 0
