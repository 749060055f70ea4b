#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer at their configured URLs. On this kind of machine they are local
# Debian services; elsewhere docker compose starts them when an engine runs; otherwise it says what to start.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/skills}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
pg_host=$(node -e 'const u=new URL(process.argv[1]);console.log(u.hostname+" "+(u.port||5432))' "$PG_URL")
redis_host=$(node -e 'const u=new URL(process.argv[1]);console.log(u.hostname+" "+(u.port||6379))' "$REDIS_URL")

port_open() { node -e 'const s=require("net").connect(+process.argv[2],process.argv[1]);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),1000)' "$1" "$2"; }
wait_for() { for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done; return 1; }

is_local() { case "$1" in 127.0.0.1 | localhost | ::1 | "[::1]") return 0 ;; *) return 1 ;; esac; }
docker_engine() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

# Only what would answer at the configured address is started: a local cluster listening on that port,
# a local redis-server on 6379 (the port it is started on), or docker compose for this machine. For any
# other address (another host, another port) there is nothing to start: say so at once.
start_postgres() {
  local host=$1 port=$2 cluster
  is_local "$host" || return 1
  if command -v pg_lsclusters >/dev/null && command -v pg_ctlcluster >/dev/null; then
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v p="$port" '$3 == p { print $1 " " $2; exit }')
    if [ -n "$cluster" ]; then
      # shellcheck disable=SC2086
      pg_ctlcluster --skip-systemctl-redirect $cluster start || true
      return 0
    fi
  fi
  docker_engine && docker compose up -d postgres
}
start_redis() {
  local host=$1 port=$2
  is_local "$host" || return 1
  if command -v redis-server >/dev/null && [ "$port" = 6379 ]; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  else
    docker_engine && docker compose up -d redis
  fi
}

# shellcheck disable=SC2086
if ! port_open $pg_host; then
  echo "PostgreSQL does not answer at $pg_host: starting it" >&2
  # shellcheck disable=SC2086
  { start_postgres $pg_host && wait_for $pg_host; } || { echo "PostgreSQL is not running at $pg_host. Start PostgreSQL 16 (or: docker compose up -d postgres) and set DATABASE_URL." >&2; exit 1; }
fi
# shellcheck disable=SC2086
if ! port_open $redis_host; then
  echo "Redis does not answer at $redis_host: starting it" >&2
  # shellcheck disable=SC2086
  { start_redis $redis_host && wait_for $redis_host; } || { echo "Redis is not running at $redis_host. Start Redis 7 (or: docker compose up -d redis) and set REDIS_URL." >&2; exit 1; }
fi
# Accepting TCP is not accepting queries yet (PostgreSQL says "starting up" for a moment after a crash).
for _ in $(seq 1 60); do
  node -e 'const {Client}=require("pg");const u=new URL(process.argv[1]);u.pathname="/postgres";const c=new Client({connectionString:u.toString()});c.connect().then(()=>c.query("select 1")).then(()=>process.exit(0),()=>process.exit(1))' "$PG_URL" 2>/dev/null && exit 0
  sleep 0.5
done
echo "PostgreSQL at $pg_host accepts connections but not queries" >&2
exit 1
