#!/usr/bin/env bash
# Format (Prettier, 120 columns) and lint (ESLint with typescript-eslint and Nx's module boundaries). The boundary rule
# reads Nx's project graph, which `nx show projects` computes first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export NX_NO_CLOUD=true NX_DAEMON=false
echo "lint: formatting (prettier --check; npm run format fixes it)"
npx prettier --check --log-level warn "**/*.{ts,tsx,mts,js,mjs,json,css}"
echo "lint: eslint with module boundaries"
npx nx show projects >/dev/null
npx eslint . --max-warnings 0
