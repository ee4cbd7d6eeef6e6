#!/bin/sh
# Runs inside the fresh rootfs (chroot) before it is imported: the sandbox user and a tidy tree.
set -eu
useradd --uid 1000 --user-group --create-home --home-dir /home/sandbox --shell /bin/sh sandbox
mkdir -p /work && chown 1000:1000 /work
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log /tmp/* /root/.cache
