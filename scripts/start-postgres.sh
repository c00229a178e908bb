#!/usr/bin/env bash
# Starts a private PostgreSQL server for the tests (Debian's postgresql
# package) in DIR on PORT, trusting local connections, and prints its URL.
# Idempotent: an already running server in DIR is reused.
set -euo pipefail
dir=${1:?usage: start-postgres.sh DIR [PORT]}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$dir"
owner=$(id -un)
run() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root; use the package's postgres user. A
  # folder it already owns is left alone: a server running there creates
  # and drops files while chown -R walks them.
  [ "$(stat -c %U "$dir")" = postgres ] || chown -R postgres:postgres "$dir"
  owner=postgres
  run() { runuser -u postgres -- "$@"; }
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  run "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
fi
if run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && [ -f "$dir/port" ]; then
  port=$(cat "$dir/port")
else
  # Take the first free port from PORT on, so a busy port never fails the run.
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  echo "$port" > "$dir/port"
fi
echo "postgresql://postgres@127.0.0.1:$port/postgres"
