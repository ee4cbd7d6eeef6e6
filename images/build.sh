#!/usr/bin/env bash
# Build the sandbox base images locally (no registry can be pulled from here):
#   autofix/debian:bookworm  a debootstrap minbase rootfs, `docker import`ed, with user 1000 "sandbox"
#   autofix/python:3         + Debian's python3, python3-pytest, python3-pip
#   autofix/node:24          + the Node 24 binary of our pinned npm package `node`, npm, vitest/jest/mocha
# Each image is also tagged <name>:<tag>-<hash of its recipe>; when that tag exists the build is skipped,
# so a second run on the same machine takes about a second.
#
# Usage: bash images/build.sh [debian|python|node ...]   (default: all)
# Env:   DEBIAN_MIRROR (default http://deb.debian.org/debian), AUTOFIX_IMAGES_FORCE=1 rebuilds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
export DOCKER_BUILDKIT=0 # the legacy builder ships with docker.io; buildx may be absent

say() { printf 'images/build.sh: %s\n' "$*" >&2; }
hash_of() { # hash of files and literal strings, in order
  for item in "$@"; do
    if [ -f "$item" ]; then sha256sum "$item" | cut -d' ' -f1; else printf '%s\n' "$item"; fi
  done | sha256sum | cut -c1-12
}
have_image() { [ "${AUTOFIX_IMAGES_FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
elapsed() { echo $(($(date +%s) - $1))s; }
drop_stale() { # other recipe versions of the same image, left by earlier builds
  local repo="${1%%:*}" keep="$1" line
  docker image ls --format '{{.Repository}}:{{.Tag}}' "$repo" | while read -r line; do
    [[ "$line" == "$keep" || "$line" != "$repo:$2-"* ]] || docker image rm "$line" >/dev/null 2>&1 || true
  done
}

docker info >/dev/null 2>&1 || { say "no docker engine answers: run scripts/docker/ensure-dockerd.sh first"; exit 1; }

debootstrap_args="--variant=minbase $suite"
base_hash="$(hash_of "$here/base/packages.txt" "$here/base/finish.sh" "$debootstrap_args" "root 0755")"
base_tag="autofix/debian:$suite-$base_hash"

build_debian() {
  if have_image "$base_tag"; then say "$base_tag is up to date"; else
    local start rootfs include
    start=$(date +%s)
    command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
    rootfs="$(mktemp -d /tmp/autofix-rootfs.XXXXXX)"
    # mktemp makes it 0700, and the tar's "./" carries that mode: storage drivers that apply it
    # (btrfs) then give the image a root only root can enter.
    chmod 755 "$rootfs"
    trap 'rm -rf "$rootfs"' RETURN
    include="$(grep -v '^#' "$here/base/packages.txt" | paste -sd, -)"
    say "debootstrap $suite (minbase + $include) into $rootfs"
    debootstrap --include="$include" $debootstrap_args "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
      { tail -n 30 "$rootfs.log" >&2; exit 1; }
    cp "$here/base/finish.sh" "$rootfs/finish.sh"
    chroot "$rootfs" /bin/sh /finish.sh && rm "$rootfs/finish.sh"
    tar --numeric-owner -C "$rootfs" -c . | docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
      -c 'CMD ["/bin/sh"]' - "$base_tag" >/dev/null
    rm -f "$rootfs.log"
    say "built $base_tag in $(elapsed "$start")"
  fi
  docker tag "$base_tag" "autofix/debian:$suite"
  drop_stale "$base_tag" "$suite"
}

build_python() {
  local tag="autofix/python:3-$(hash_of "$base_hash" "$here/python/Dockerfile")"
  if have_image "$tag"; then say "$tag is up to date"; else
    local start; start=$(date +%s)
    docker build -q --network host --build-arg "BASE=$base_tag" -t "$tag" "$here/python" >/dev/null
    say "built $tag in $(elapsed "$start")"
  fi
  docker tag "$tag" autofix/python:3
  drop_stale "$tag" 3
}

build_node() {
  local node_bin="$root/node_modules/node/bin/node" node_version tools="$here/node/js-tools"
  [ -x "$node_bin" ] || { say "missing $node_bin: run npm ci in the project first"; exit 1; }
  node_version="$(grep -m1 '"version"' "$root/node_modules/node/package.json" | tr -dc '0-9.')"
  local tag="autofix/node:24-$(hash_of "$base_hash" "$here/node/Dockerfile" "$tools/package.json" "$tools/package-lock.json" "$node_version")"
  if have_image "$tag"; then say "$tag is up to date"; else
    local start context; start=$(date +%s)
    context="$(mktemp -d /tmp/autofix-node-image.XXXXXX)"
    trap 'rm -rf "$context"' RETURN
    cp "$here/node/Dockerfile" "$context/"
    cp "$node_bin" "$context/node"
    mkdir "$context/js-tools"
    cp "$tools/package.json" "$tools/package-lock.json" "$context/js-tools/"
    # `npm install` honours the lockfile's versions; `npm ci` trips over npm's known gap for the
    # platform-specific optional packages that jest's resolver lists.
    say "npm install of the baked test frameworks (host network)"
    (cd "$context/js-tools" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error) \
      >"$context.npm.log" 2>&1 || { tail -n 20 "$context.npm.log" >&2; exit 1; }
    rm -f "$context.npm.log"
    docker build -q --network host --build-arg "BASE=$base_tag" -t "$tag" "$context" >/dev/null
    say "built $tag in $(elapsed "$start")"
  fi
  docker tag "$tag" autofix/node:24
  drop_stale "$tag" 24
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(debian python node)
build_debian
for target in "${targets[@]}"; do
  case "$target" in
    debian) ;;
    python) build_python ;;
    node) build_node ;;
    *) say "unknown image '$target' (debian, python or node)"; exit 2 ;;
  esac
done
