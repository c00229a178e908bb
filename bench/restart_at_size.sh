#!/usr/bin/env bash
# How long the registry takes from its start to SERVING with its SQLite
# database at the size an hour of write load leaves (issue 19). An hour of
# LoadWithRestartTest's eight clients is about 4 million creates on SQLite
# (1,100 a second); each create writes a citizen, an audit record and an
# outbox event, so the database is filled with that many of each by SQL
# (through the API it would take the hour). Then the registry is started
# RUNS times, once after a kill -9 in the middle of writes, and each time
# until `ipsctl health check` says SERVING.
#
#   bench/restart_at_size.sh [CITIZENS] [RUNS]     (after the build; default 4000000 3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
citizens=${1:-4000000}
runs=${2:-3}
bin=$root/build
dir=$(mktemp -d /var/tmp/ips-restart.XXXXXX)
trap 'pkill -f "$dir/registry.db" 2>/dev/null || true; [ -n "${IPS_KEEP:-}" ] || rm -rf "$dir"' EXIT
"$root/scripts/dev-certs.sh" "$dir/pki" >/dev/null 2>&1
pki=$dir/pki
export IPS_CA=$pki/ca.pem IPS_CERT=$pki/client-ipsctl.pem IPS_KEY=$pki/client-ipsctl.key

start() {
  rm -f "$dir/port"
  "$bin/services/registry/registry" --listen=127.0.0.1:0 --port_file="$dir/port" \
    --db="sqlite://$dir/registry.db" --tls_cert="$pki/server.pem" --tls_key="$pki/server.key" \
    --tls_ca="$pki/ca.pem" --jwt_issuer=https://login.bench --jwt_audience=ips-sydhavnen \
    --jwt_public_keys="$pki/jwt.pub" --pseudonym_key_file="$pki/pseudonym.key" >>"$dir/registry.log" 2>&1 &
  pid=$!
}
# Starts the registry and sets `took` to the seconds until SERVING.
serving_after_start() {
  local t0 t
  t0=$(date +%s.%N)
  start
  while [ ! -s "$dir/port" ]; do sleep 0.01; done
  until IPS_ADDR=localhost:$(cat "$dir/port") "$bin/tools/ipsctl/ipsctl" health check --timeout=1 >/dev/null 2>&1; do
    sleep 0.01
  done
  t=$(date +%s.%N)
  took=$(echo "$t - $t0" | bc)
}

# The schema, made by the registry itself.
start
while [ ! -s "$dir/port" ]; do sleep 0.05; done
kill -TERM "$pid"
wait "$pid" || true

t0=$(date +%s)
sqlite3 "$dir/registry.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $citizens)
INSERT INTO citizens (id, cpr, given_name, family_name, birth_date, district, housing, phone_number,
                      version, create_micros, update_micros)
SELECT lower(hex(randomblob(16))), printf('%010d', i), 'Load', 'Test', '1970-01-01', 1, 1, '', 1,
       1764547200000000 + i, 1764547200000000 + i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $citizens)
INSERT INTO audit_log (sequence, create_micros, subject, agency, service, method, resource, citizen_id,
                       outcome, note, previous_hash, hash)
SELECT i, 1764547200000000 + i, 'consultant-1', 'BIF', 'ipsctl', '/ips.registry.v1.CitizenRegistry/CreateCitizen',
       'citizens/' || lower(hex(randomblob(16))), lower(hex(randomblob(16))), 'OK', '',
       lower(hex(randomblob(32))), lower(hex(randomblob(32))) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $citizens)
INSERT INTO outbox (sequence, event_id, type, subject_pseudonym, create_micros, payload)
SELECT i, lower(hex(randomblob(16))), 'ips.registry.v1.CitizenRegistered', lower(hex(randomblob(32))),
       1764547200000000 + i, '' FROM n;
UPDATE counters SET value = $citizens WHERE name IN ('audit', 'outbox');
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
size=$(du -m "$dir/registry.db" | cut -f1)
echo "filled with $citizens citizens, audit records and events in $(($(date +%s) - t0)) s: ${size} MB"

for run in $(seq 1 "$runs"); do
  serving_after_start
  echo "start $run: SERVING after $took s"
  kill -TERM "$pid"
  wait "$pid" || true
done

# A crash in the middle of writes: a second writer holds the write-ahead log
# open with a transaction's pages in it when the registry is killed.
start
while [ ! -s "$dir/port" ]; do sleep 0.05; done
sqlite3 "$dir/registry.db" "PRAGMA journal_mode=WAL; UPDATE citizens SET version = version + 1 WHERE rowid % 20 = 0;" >/dev/null
wal=$(du -m "$dir/registry.db-wal" 2>/dev/null | cut -f1 || echo 0)
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
serving_after_start
echo "after kill -9 with a ${wal} MB write-ahead log: SERVING after $took s"
kill -TERM "$pid"
wait "$pid" || true
