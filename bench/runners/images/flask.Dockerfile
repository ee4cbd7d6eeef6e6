# autofix/python:3 plus the Debian packages flask's tests import (no PyPI is reachable from the bench).
FROM autofix/python:3
USER root
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3-werkzeug python3-jinja2 python3-itsdangerous python3-click python3-asgiref python3-blinker python3-dotenv python3-greenlet \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
USER 1000:1000
