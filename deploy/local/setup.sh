#!/usr/bin/env bash
# Installs what the workspace needs on a fresh machine of this kind: node modules from the lockfile and the Kafka
# broker jars (Maven Central). Cheap when nothing changed, so both README commands run it first.
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
