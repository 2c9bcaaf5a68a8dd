#!/usr/bin/env bash
# The whole suite: type-check, unit tests, then integration and end-to-end tests against real PostgreSQL, Redis and a
# Kafka broker the run starts for itself (or the one KAFKA_BROKERS names). Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false KAFKAJS_NO_PARTITIONER_WARNING=1

bash deploy/local/setup.sh
echo "test: type-checking the workspace"
npx tsc -p tsconfig.json --noEmit
npx tsc -p apps/console/tsconfig.json --noEmit
bash deploy/local/lint.sh
mkdir -p .local
results=.local/jest-results.json
echo "test: unit, integration and end-to-end tests"
status=0
# No --forceExit: every test closes what it opened (the test kit closes readers a failed test left open), so a
# handle left behind shows up as a run that does not end rather than being hidden.
npx jest --runInBand --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("test: no test ran"); process.exit(1); }
' "$(pwd)/$results" || status=1
exit $status
