#!/usr/bin/env bash
# Builds the suite, starts the registry on SQLite with mTLS and development
# keys, loads the demo cohort through the public API (ipsctl), and prints a
# caseload and enrolment summary. Re-running reuses state/ and duplicates
# nothing. Leaves the registry running when given --keep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target registry ipsctl

state="$root/state"
mkdir -p "$state"
scripts/dev-certs.sh "$state/pki" ipsctl reporting >/dev/null
rm -f "$state/registry.port"

build/services/registry/registry \
  --listen=127.0.0.1:0 --port_file="$state/registry.port" \
  --db="sqlite://$state/registry.db" \
  --tls_cert="$state/pki/server.pem" --tls_key="$state/pki/server.key" --tls_ca="$state/pki/ca.pem" \
  --jwt_issuer=https://login.dev.ips.local --jwt_audience=ips-sydhavnen \
  --jwt_public_keys="$state/pki/jwt.pub" --pseudonym_key_file="$state/pki/pseudonym.key" \
  --metrics_listen=127.0.0.1:0 --log_level=warn 2>>"$state/registry.log" &
registry_pid=$!
if [ $keep -eq 0 ]; then
  trap 'kill -TERM $registry_pid 2>/dev/null; wait $registry_pid 2>/dev/null || true' EXIT
fi
for _ in $(seq 1 200); do
  [ -s "$state/registry.port" ] && break
  kill -0 $registry_pid 2>/dev/null || { echo "registry failed to start; see $state/registry.log" >&2; exit 1; }
  sleep 0.05
done

# ipsctl reads its connection and development identity from the environment.
export IPS_ADDR="localhost:$(cat "$state/registry.port")"
export IPS_CA="$state/pki/ca.pem" IPS_CERT="$state/pki/client-ipsctl.pem" IPS_KEY="$state/pki/client-ipsctl.key"
export IPS_DEV_KEY="$state/pki/jwt.key" IPS_JWT_ISSUER=https://login.dev.ips.local IPS_JWT_AUDIENCE=ips-sydhavnen
export IPS_AS_SUBJECT=demo-loader IPS_AS_AGENCY=BIF IPS_AS_ROLES=ips_consultant,team_lead
export IPSCTL="$root/build/tools/ipsctl/ipsctl"

scripts/demo-cohort.sh 2>>"$state/demo.log"
scripts/summary.sh 2>>"$state/demo.log"
if [ $keep -eq 1 ]; then
  echo
  echo "registry running (pid $registry_pid) at $IPS_ADDR; stop it with: kill $registry_pid"
fi
