#!/usr/bin/env bash
# One command from a fresh clone to a running skills-ledger: installs, builds, then hands over to the
# quickstart (dist/apps/quickstart), which migrates, starts api + worker, loads the 2024 plan (or, with
# --demo, the demo year) and stays in the foreground until Ctrl+C.
#   npm run quickstart                   the local PostgreSQL and Redis (started, or docker compose), else
#                                        the embedded demo year when neither they nor a Docker engine are found
#   npm run quickstart -- --embedded     PostgreSQL in-process (PGlite, data under var/), no Redis
#   npm run quickstart -- --demo         the embedded mode with the demo year (clock in April 2024)
#   npm run quickstart -- --reset-admin  a new admin password, written to var/quickstart.env
set -euo pipefail
cd "$(dirname "$0")/.."

embedded=""
for arg in "$@"; do
  case "$arg" in
    --embedded | --demo) embedded="--embedded" ;;
    --reset-admin) ;;
    *)
      echo "quickstart: unknown option $arg: use --embedded, --demo or --reset-admin" >&2
      exit 2
      ;;
  esac
done

if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "quickstart: Node.js 20 or later is needed (found $(node -v 2>/dev/null || echo none)): install it from https://nodejs.org" >&2
  exit 1
fi
var_dir=${QUICKSTART_VAR_DIR:-var}
mkdir -p "$var_dir"

# npm ci only when package-lock.json changed since the last install by this script.
lock=$(node -e 'console.log(require("crypto").createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex"))')
if [ -d node_modules ] && [ "$(cat "$var_dir/.installed" 2>/dev/null)" = "$lock" ]; then
  echo "==> dependencies are installed"
else
  echo "==> installing dependencies"
  npm ci --no-audit --no-fund --loglevel=error || {
    echo "quickstart: npm ci failed (see above): check the network or the npm registry setting, then run npm run quickstart again" >&2
    exit 1
  }
  echo "$lock" >"$var_dir/.installed"
fi

if [ -z "$embedded" ]; then
  echo "==> checking PostgreSQL and Redis"
  if ! bash scripts/services.sh; then
    # Someone trying the service on a PC with only Node.js: show a living year, not an empty plan.
    echo "==> no PostgreSQL and Redis here, and nothing to start them with: using the embedded mode (PGlite, no Redis) with the demo year"
    embedded="--demo"
  fi
fi

if node scripts/dist-is-fresh.mjs; then
  echo "==> the build is up to date"
else
  echo "==> building"
  npm run build --silent || {
    echo "quickstart: the build failed (see above): run npm ci, then npm run quickstart again" >&2
    exit 1
  }
fi
exec node dist/apps/quickstart/src/main.js ${embedded:+"$embedded"} "$@"
