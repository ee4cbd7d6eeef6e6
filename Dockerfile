# Production image of the autofix GitHub App: `docker build -t autofix .`, then
#   docker run -p 3000:3000 -e APP_ID=… -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=… autofix
# (or mount the key and set PRIVATE_KEY_PATH). See .env.example for every variable and docs/deploy.md.
#
# NODE_IMAGE: any Debian-based Node 24 image with npm and a `node` user. Where no registry can be
# pulled from, `bash scripts/docker/build-app-image.sh --check` builds one locally (autofix/node-base:24,
# from the debootstrap rootfs of images/build.sh and our pinned Node binary), then this image with
# `--build-arg NODE_IMAGE=autofix/node-base:24`, starts it and checks /healthz and the HEALTHCHECK.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, at the versions in package-lock.json. The `node` devDependency (which
# pins Node 24 on hosts with an older node) is not needed: the base image is Node 24 and runs our .ts
# files natively. No install scripts: the tree-sitter grammars are used as the .wasm files they ship,
# and dockerode's native extras are optional.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# git pushes the fix branch (through the repository's clone_url with the installation token).
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json app.yml ./
COPY bin ./bin
COPY src ./src
COPY localization ./localization
COPY prompts ./prompts
# The job store (AUTOFIX_DB, SQLite) lives on a volume so queued jobs survive a new container.
ENV AUTOFIX_DB=/data/autofix.db
RUN mkdir -p /data && chown node /data
VOLUME /data
# The base image's unprivileged user; the app files stay root-owned and read-only to it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "src/app/main.ts"]
