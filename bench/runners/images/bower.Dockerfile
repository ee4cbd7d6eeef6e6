# autofix/node:24 plus Debian's git: Bower's tests build their git fixtures with `git init/commit/tag`
# while mocha loads them, and commit as a developer whose git knows who they are.
FROM autofix/node:24
USER root
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
ENV GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid \
    GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
USER 1000:1000
