#!/usr/bin/env bash
# Installs what the workspace needs on a fresh machine of this kind: node modules from the lockfile, the Kafka broker
# jars (Maven Central) and Debian's Chromium for the console's browser tests. Cheap when nothing changed, so both README
# commands run it first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

fail() { echo "setup: $*" >&2; exit 1; }
command -v node >/dev/null || fail "Node.js 20 or newer is missing: install it, then run this again"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || fail "Node.js $(node -v) is too old: install Node.js 20 or newer"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing node modules from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash deploy/kafka/kafka.sh fetch
# The console's browser tests drive Debian's Chromium through playwright-core (no browser download).
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
    fail "Chromium is missing at $chromium_path: install Debian's chromium package (or set CHROMIUM_PATH), then run this again"
  echo "setup: installing Debian's chromium for the browser tests (apt-get)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
    fail "apt-get could not install chromium: check the Debian package mirror, then run this again"
fi
