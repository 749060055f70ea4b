#!/usr/bin/env bash
# npm run lint. ESLint (its type-aware rules) and tsc each build a TypeScript program of the whole repo
# on one core: they run side by side, so the lint takes about as long as the slower of the two (tsc
# also checks the console's JSDoc-typed scripts). Then the OpenAPI lint, which reads what tsc
# compiled. Every part runs; any failure fails the lint.
set -uo pipefail
cd "$(dirname "$0")/.."

npx eslint . &
eslint=$!
npx prettier --check .
prettier=$?
npm run -s typecheck && npx tsc -p tsconfig.console.json
typecheck=$?
wait "$eslint"
eslint=$?
openapi=1
if [ "$typecheck" -eq 0 ]; then
  node scripts/openapi-lint.mjs
  openapi=$?
fi
[ "$eslint" -eq 0 ] && [ "$prettier" -eq 0 ] && [ "$typecheck" -eq 0 ] && [ "$openapi" -eq 0 ]
