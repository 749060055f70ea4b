#!/usr/bin/env bash
# npm test. Where PostgreSQL and Redis answer (or can be started), every suite, as in CI. Where they do
# not: the unit tests and the embedded end-to-end tests, then the suites that could not run and why.
# Never a silent pass: in CI (CI=true) the missing services fail the run.
set -uo pipefail
cd "$(dirname "$0")/.."

if why=$(bash scripts/services.sh 2>&1 >/dev/null); then
  exec npx jest --maxWorkers=2 "$@"
fi

# --selectProjects takes every word after it: the caller's arguments (a file filter) go before it.
npx jest --maxWorkers=2 "$@" --selectProjects unit embedded
status=$?
echo
echo "================================================================================"
echo "NOT RUN: the integration suites below need PostgreSQL and Redis, and here:"
echo "${why:-PostgreSQL or Redis does not answer}" | sed 's/^/  /'
npx jest --listTests --selectProjects integration 2>/dev/null | sed "s|^$PWD/|  - |" | sort
echo "Start PostgreSQL 16 and Redis 7 (or a Docker engine), then run npm test again for the full run."
echo "================================================================================"
if [ -n "${CI:-}" ]; then
  echo "CI is set: a run without the integration suites fails." >&2
  exit 1
fi
exit "$status"
