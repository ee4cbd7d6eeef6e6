#!/usr/bin/env bash
# Build the App's production image (the repository's Dockerfile) without pulling from any registry:
#   1. autofix/node-base:24  a local Node 24 base: the debootstrap rootfs of images/build.sh
#      (autofix/debian:bookworm, `docker import`ed) + the Node 24 binary of our pinned npm package
#      `node` + the host's npm, with an unprivileged `node` user (uid 1000), like the official image.
#      It trusts this machine's CA bundle (AUTOFIX_BUILD_CA_BUNDLE, default the host's
#      /etc/ssl/certs/ca-certificates.crt) for Node, npm and git: where the egress re-signs TLS,
#      npm ci in the build and the App's calls to GitHub and the model need it. --no-host-ca skips it;
#   2. autofix/app           `docker build --build-arg NODE_IMAGE=autofix/node-base:24 .`
#   3. with --check: start the image (production mode, throwaway credentials, the worker off), wait
#      for GET /healthz and its HEALTHCHECK, check it runs as `node`, and remove it.
# The builds use the host network (apt-get for git, npm ci for the production dependencies): dockerd
# here runs without a bridge.
#
# Usage: bash scripts/docker/build-app-image.sh [--check] [--no-host-ca] [--tag NAME]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tag="autofix/app:latest"
check=0
ca="${AUTOFIX_BUILD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --no-host-ca) ca="" ;;
    --tag) tag="$2"; shift ;;
    *) echo "usage: $0 [--check] [--no-host-ca] [--tag NAME]" >&2; exit 2 ;;
  esac
  shift
done
export DOCKER_BUILDKIT=0 # the legacy builder ships with docker.io; buildx may be absent
say() { printf 'build-app-image: %s\n' "$*" >&2; }

docker info >/dev/null 2>&1 || { say "no docker engine answers: run scripts/docker/ensure-dockerd.sh first"; exit 1; }
docker image inspect autofix/debian:bookworm >/dev/null 2>&1 || bash "$root/images/build.sh" debian

# --- 1. the Node 24 base image -----------------------------------------------------------------
node_bin="$root/node_modules/node/bin/node"
[ -x "$node_bin" ] || { say "missing $node_bin: run npm ci in the project first"; exit 1; }
npm_dir="$(npm root -g 2>/dev/null)/npm"
[ -f "$npm_dir/bin/npm-cli.js" ] || { say "no npm found at $npm_dir (npm root -g)"; exit 1; }
context="$(mktemp -d /tmp/autofix-node-base.XXXXXX)"
trap 'rm -rf "$context"' EXIT
cp "$node_bin" "$context/node"
cp -r "$npm_dir" "$context/npm"
mkdir "$context/ca"
ca_env=""
if [ -n "$ca" ]; then
  [ -f "$ca" ] || { say "AUTOFIX_BUILD_CA_BUNDLE names $ca, which does not exist"; exit 1; }
  cp "$ca" "$context/ca/host-ca.crt"
  ca_env="ENV NODE_EXTRA_CA_CERTS=/usr/local/share/autofix/host-ca.crt NPM_CONFIG_CAFILE=/usr/local/share/autofix/host-ca.crt GIT_SSL_CAINFO=/usr/local/share/autofix/host-ca.crt"
fi
cat >"$context/Dockerfile" <<EOF
FROM autofix/debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca /usr/local/share/autofix
$ca_env
# The rootfs's uid 1000 becomes `node`, as in the official Node images.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && usermod --login node --home /home/node --move-home sandbox && groupmod --new-name node sandbox \
 && node --version && npm --version
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false
CMD ["node"]
EOF
say "building autofix/node-base:24 (CA bundle: ${ca:-none}; node $("$node_bin" --version), npm $("$node_bin" "$npm_dir/bin/npm-cli.js" --version 2>/dev/null || echo '?'))"
docker build -q --network host -t autofix/node-base:24 "$context" >/dev/null

# --- 2. the App image ----------------------------------------------------------------------------
start=$(date +%s)
say "building $tag from the Dockerfile (NODE_IMAGE=autofix/node-base:24)"
docker build -q --network host --build-arg NODE_IMAGE=autofix/node-base:24 -t "$tag" "$root" >/dev/null
say "built $tag in $(($(date +%s) - start))s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
[ "$check" = 1 ] || exit 0

# --- 3. start it and ask /healthz ------------------------------------------------------------------
port="$("$node_bin" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
key="$context/app.pem"
openssl genrsa -traditional -out "$key" 2048 2>/dev/null || openssl genrsa -out "$key" 2048 2>/dev/null
name="autofix-app-check-$$"
docker run -d --name "$name" --network host \
  -e APP_ID=1 -e WEBHOOK_SECRET=check -e PRIVATE_KEY="$(cat "$key")" \
  -e PORT="$port" -e AUTOFIX_WORKER=off "$tag" >/dev/null
trap 'docker rm -f "$name" >/dev/null 2>&1; rm -rf "$context"' EXIT
health=""
for _ in $(seq 1 100); do
  health="$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null)" && break
  sleep 0.2
done
[ -n "$health" ] || { docker logs "$name" >&2; say "GET /healthz never answered"; exit 1; }
say "GET /healthz → $health"
case "$health" in *'"mode":"app"'*) ;; *) say "expected mode app"; exit 1 ;; esac
user="$(docker exec "$name" id -un)"
say "the container runs as: $user"
[ "$user" = node ] || exit 1
metrics="$(curl -fsS "http://127.0.0.1:$port/metrics" | grep -c '^autofix_jobs{')"
say "GET /metrics → $metrics job-state samples"
status=""
for _ in $(seq 1 60); do
  status="$(docker inspect -f '{{.State.Health.Status}}' "$name")"
  [ "$status" = starting ] || break
  sleep 1
done
say "Docker HEALTHCHECK → $status"
[ "$status" = healthy ]
