#!/usr/bin/env bash
# One command from a fresh clone to a running skills-ledger with the 2024 plan loaded.
# Installs, makes sure PostgreSQL and Redis answer, migrates, starts api and worker, loads the plan,
# shows it working, and keeps running until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p var
if [ ! -f var/quickstart.env ]; then
  # Secrets for this machine only: generated once, kept out of git (var/ is ignored).
  {
    echo "JWT_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
    echo "ADMIN_USERNAME=admin"
    echo "ADMIN_PASSWORD=$(node -e 'console.log(require("crypto").randomBytes(9).toString("base64url"))')"
  } > var/quickstart.env
  chmod 600 var/quickstart.env
fi
set -a
# shellcheck disable=SC1091
. var/quickstart.env
set +a
export PORT=${PORT:-3000}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/skills}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export AUDIT_CHECKPOINT_DIR=${AUDIT_CHECKPOINT_DIR:-$PWD/var/checkpoints}
export LOG_LEVEL=${LOG_LEVEL:-warn}
# The quickstart logs in as the local superuser: development mode says so at start instead of refusing.
export NODE_ENV=${NODE_ENV:-development}

echo "==> installing dependencies"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund; fi
echo "==> checking PostgreSQL and Redis"
bash scripts/services.sh
node -e '
  const { Client } = require("pg");
  const url = new URL(process.argv[1]); const name = url.pathname.slice(1); url.pathname = "/postgres";
  const c = new Client({ connectionString: url.toString() });
  c.connect()
    .then(() => c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]))
    .then((r) => (r.rowCount ? null : c.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`)))
    .then(() => c.end(), (e) => { console.error(e.message); process.exit(1); });
' "$DATABASE_URL"
echo "==> building"
npm run build --silent
echo "==> migrating"
npm run migrate --silent

echo "==> starting api (port $PORT) and worker"
node dist/apps/api/src/main.js > var/api.log 2>&1 &
api=$!
node dist/apps/worker/src/main.js > var/worker.log 2>&1 &
worker=$!
trap 'kill $api $worker 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $api 2>/dev/null || { echo "api failed to start:"; tail -20 var/api.log; exit 1; }
  sleep 0.5
done

base="http://127.0.0.1:$PORT"
token=$(curl -fsS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$ADMIN_USERNAME\",\"password\":\"$ADMIN_PASSWORD\"}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).accessToken))')
echo "==> loading the 2024 plan (data/plans/2024.csv)"
curl -fsS -X PUT "$base/api/v1/plans/2024" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
  --data-binary @data/plans/2024.csv
echo
period=$(node -e 'const d=new Date(Date.now()+8*3600e3);const y=d.getUTCFullYear();console.log(y===2024?`2024-${String(d.getUTCMonth()+1).padStart(2,"0")}`:"2024-12")')
echo "==> progress for $period (first rows)"
curl -fsS "$base/api/v1/plans/2024/progress?period=$period" -H "Authorization: Bearer $token" | head -c 600 || true
echo
cat <<INFO

skills-ledger is running.
  Web console    $base/
  API docs       $base/api/docs
  Health         $base/health
  Progress       $base/api/v1/plans/2024/progress?period=$period   (Bearer token required)
  Admin login    $ADMIN_USERNAME / $ADMIN_PASSWORD   (from var/quickstart.env)
  Logs           var/api.log, var/worker.log
Press Ctrl+C to stop.
INFO
wait $api
