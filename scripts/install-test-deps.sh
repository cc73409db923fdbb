#!/usr/bin/env bash
# Installs the Debian packages the integration tests use: FastAPI + uvicorn (the fixture API,
# the seed's stack) and Locust. Needs root (apt-get). Does nothing when they are present.
set -euo pipefail
if /usr/bin/python3 -c "import fastapi, uvicorn, multipart, jwt, locust" 2>/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  python3-fastapi uvicorn python3-multipart python3-jwt python3-locust >/dev/null
