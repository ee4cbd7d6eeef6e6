# autofix/python:3 plus the Debian packages pytest's tests import (no PyPI is reachable from the bench).
FROM autofix/python:3
USER root
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-setuptools-scm python3-attr python3-iniconfig python3-pluggy python3-packaging python3-exceptiongroup python3-tomli python3-hypothesis python3-xmlschema python3-argcomplete python3-pygments python3-mock python3-requests python3-pexpect python3-wheel \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
USER 1000:1000
