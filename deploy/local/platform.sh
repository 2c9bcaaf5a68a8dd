#!/usr/bin/env bash
# Runs the whole platform on this machine: Kafka, a database per service, every service, demo data. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false KAFKAJS_NO_PARTITIONER_WARNING=1
bash deploy/local/setup.sh
exec node -r ./tools/register.js deploy/local/platform.ts
