#!/usr/bin/env bash
# Installs what Pontis needs on a fresh machine: npm packages (from package-lock.json) and, when
# asked and missing, Debian packages. Safe to run repeatedly: it does nothing when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# `npm install` with the committed lock file rather than `npm ci`: on this machine's npm (11, with
# omit-lockfile-registry-resolved) the lock file leaves out the optional native packages of other
# platforms, which `npm ci` then reports as "missing from lock file". `npm install` installs exactly
# the locked versions for this platform and leaves the lock file unchanged.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm install --no-audit --no-fund >&2
fi
# The prebuilt CLI (dist/cli/; bin/pontis.js runs the sources when it is missing or stale). Quick,
# and nothing to do when it is up to date.
node scripts/build-cli.mjs --if-possible

# Debian packages given as arguments, installed only when their command or files are missing.
missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
