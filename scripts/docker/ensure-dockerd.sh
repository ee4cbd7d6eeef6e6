#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine: install Debian's docker.io when dockerd is
# missing, start dockerd when none answers, wait until `docker info` works. Idempotent and fast
# (one `docker info`) when an engine already runs.
#
# The engine runs with --iptables=false --bridge=none: this machine has no network but the package
# registries, the sandbox runs tests with NetworkMode "none", and setup steps that are allowed a
# network use the host's (AUTOFIX_SANDBOX_SETUP_NETWORK=host).
#
# The engine it starts keeps its data on btrfs (a sparse file mounted through a loop device, see
# btrfs-data-root.sh): there the engine enforces a per-container disk quota (`StorageOpt.size`),
# which overlay2 on ext4 cannot. AUTOFIX_DOCKER_STORAGE=default keeps the engine's own driver.
#
# Env: DOCKERD_LOG (default /tmp/autofix-dockerd.log), DOCKERD_WAIT_SECONDS (default 60).
set -euo pipefail

log_file="${DOCKERD_LOG:-/tmp/autofix-dockerd.log}"
wait_seconds="${DOCKERD_WAIT_SECONDS:-60}"

say() { printf 'ensure-dockerd: %s\n' "$*" >&2; }

engine_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "docker engine already answers"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  say "no docker engine answers and this is not root: start dockerd yourself (or run this script as root)"
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! command -v docker >/dev/null 2>&1; then
  say "dockerd is installed but no docker client is on PATH"
  exit 1
fi

# A stale pid file from a dockerd that died (or lingers as a zombie) keeps a new one from starting.
pid_file=/var/run/docker.pid
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
if [ -f "$pid_file" ] && ! alive "$(cat "$pid_file")"; then
  rm -f "$pid_file"
fi

if [ ! -f "$pid_file" ]; then
  storage_args=()
  if [ "${AUTOFIX_DOCKER_STORAGE:-btrfs}" = "btrfs" ]; then
    if data_root="$(bash "$(dirname "${BASH_SOURCE[0]}")/btrfs-data-root.sh")"; then
      storage_args=(--data-root "$data_root" --storage-driver btrfs)
    else
      say "WARNING: no btrfs data root; the engine runs on its default storage driver, where the sandbox's disk limit is only watched, not enforced"
    fi
  fi
  say "starting dockerd ${storage_args[*]} (log: $log_file)"
  nohup dockerd --iptables=false --ip6tables=false --bridge=none "${storage_args[@]}" >>"$log_file" 2>&1 &
  disown || true
fi

for _ in $(seq 1 $((wait_seconds * 4))); do
  if engine_answers; then
    say "docker engine answers ($(docker info --format '{{.ServerVersion}} {{.Driver}} cgroup v{{.CgroupVersion}}'))"
    exit 0
  fi
  sleep 0.25
done

say "dockerd did not answer within ${wait_seconds}s; last lines of $log_file:"
tail -n 30 "$log_file" >&2 || true
exit 1
