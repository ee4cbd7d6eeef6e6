#!/usr/bin/env bash
# Prints a folder on a btrfs file system for dockerd's --data-root, mounting it when needed: a
# sparse file (it takes only what the engine writes) through a loop device. Idempotent: an existing
# mount or file is reused, so built images survive between runs. Exits non-zero, saying why, when
# this machine cannot (no btrfs in the kernel, no loop devices, not root).
#
# Env: AUTOFIX_DOCKER_BTRFS_FILE (default /var/lib/autofix-docker.btrfs),
#      AUTOFIX_DOCKER_BTRFS_SIZE (default 64G), AUTOFIX_DOCKER_DATA_ROOT (default /var/lib/autofix-docker).
set -euo pipefail
file="${AUTOFIX_DOCKER_BTRFS_FILE:-/var/lib/autofix-docker.btrfs}"
size="${AUTOFIX_DOCKER_BTRFS_SIZE:-64G}"
mount_point="${AUTOFIX_DOCKER_DATA_ROOT:-/var/lib/autofix-docker}"

say() { printf 'btrfs-data-root: %s\n' "$*" >&2; }

if [ "$(stat -f -c %T "$mount_point" 2>/dev/null || true)" = "btrfs" ]; then
  printf '%s\n' "$mount_point"
  exit 0
fi
if ! grep -qw btrfs /proc/filesystems && ! modprobe btrfs 2>/dev/null; then
  say "this kernel has no btrfs"
  exit 1
fi
if ! command -v mkfs.btrfs >/dev/null 2>&1; then
  say "installing btrfs-progs from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends btrfs-progs >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends btrfs-progs >/dev/null; }
fi
mkdir -p "$(dirname "$file")" "$mount_point"
if [ ! -f "$file" ]; then
  truncate -s "$size" "$file"
  mkfs.btrfs -q "$file" >/dev/null
fi
mount -o loop "$file" "$mount_point"
printf '%s\n' "$mount_point"
