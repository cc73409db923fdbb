#!/usr/bin/env bash
# Builds the Docker image of the compose example and tests (nginx, PostgreSQL 15, FastAPI under
# uvicorn with SQLAlchemy and psycopg2) from Debian's packages: no image registry is needed.
# debootstrap makes a bookworm root filesystem from the mirror apt already uses, `docker import`
# turns it into an image. Skipped when the image for this package list exists.
# Usage: scripts/build-stack-image.sh [NAME]   (default: loadgate-stack)
set -euo pipefail
name="${1:-loadgate-stack}"
packages="nginx-light,postgresql-15,python3-fastapi,uvicorn,python3-multipart,python3-jwt,python3-sqlalchemy,python3-psycopg2"
tag="$(printf '%s' "$packages" | sha256sum | cut -c1-12)"

if docker image inspect "$name:$tag" >/dev/null 2>&1; then
  docker tag "$name:$tag" "$name:latest"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

# the Debian mirror apt uses (deb822 sources first, then the classic list)
mirror="$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 | sed 's/^URIs: *//' || true)"
if [ -z "$mirror" ]; then
  mirror="$(grep -hoE '^deb +[^ ]+' /etc/apt/sources.list 2>/dev/null | grep -v security | head -n1 | awk '{print $2}' || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

root="$(mktemp -d /var/tmp/loadgate-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
echo "building $name:$tag from $mirror (debootstrap, about a minute)" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$name:$tag" >/dev/null
docker tag "$name:$tag" "$name:latest"
echo "built $name:$tag" >&2
