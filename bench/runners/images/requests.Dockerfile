# autofix/python:3 plus the Debian packages requests's tests import (no PyPI is reachable from the bench).
FROM autofix/python:3
USER root
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-urllib3 python3-idna python3-chardet python3-charset-normalizer python3-certifi python3-socks python3-pytest-httpbin python3-pytest-mock python3-trustme \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
USER 1000:1000
