# autofix/python:3 plus the Debian packages astroid's tests import (no PyPI is reachable from the bench).
FROM autofix/python:3
USER root
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-lazy-object-proxy python3-wrapt python3-typing-extensions python3-six python3-attr \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
USER 1000:1000
