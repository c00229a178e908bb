#!/usr/bin/env bash
# Builds the suite, starts the treatment service (SOF), the registry and
# the matching service (BIF) and reporting (joint) on SQLite with mTLS and
# development keys: the registry checks the treatment rule with SOF under
# its own service identity, matching asks the registry about enrolments on
# behalf of the caller, reporting follows the three event feeds. Runs the
# simulator (tools/ips-sim) through the public APIs, then prints the
# services' summary and the programme report.
# Re-running the same day reuses state/ and duplicates nothing. Leaves the
# services running when given --keep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target registry treatment matching reporting ipsctl ips-sim

state="$root/state"
mkdir -p "$state"
# The simulated programme ends today and its requests carry ids derived from
# the seed, so a rerun on the same day with the same simulator finds
# everything made and adds nothing. On another day, or with another
# simulator, the same ids would name other requests (refused, as they must
# be): the demo then starts over.
demo_key="$(date +%F) $(sha256sum build/tools/ips-sim/ips-sim | cut -c1-16) seed ${IPS_SIM_SEED:-2026}"
if [ "$(cat "$state/demo.key" 2>/dev/null)" != "$demo_key" ]; then
  rm -f "$state"/*.db "$state"/*.db-wal "$state"/*.db-shm
  echo "$demo_key" >"$state/demo.key"
fi
scripts/dev-certs.sh "$state/pki" ipsctl reporting registry matching >/dev/null
export IPS_DEV_KEY="$state/pki/jwt.key" IPS_JWT_ISSUER=https://login.dev.ips.local IPS_JWT_AUDIENCE=ips-sydhavnen
export IPSCTL="$root/build/tools/ipsctl/ipsctl"
# The registry's service identity towards SOF: a development token with the
# treatment_check role (in production: from the identity provider).
"$IPSCTL" token mint --subject registry --agency BIF --roles treatment_check --ttl 43200 \
  >"$state/registry-to-treatment.token"
# Reporting's identity towards the three feeds.
"$IPSCTL" token mint --subject reporting --agency JOINT --roles event_reader --ttl 43200 >"$state/reporting.token"

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
[ $keep -eq 0 ] && trap cleanup EXIT

# start NAME [extra flags...]: runs build/services/NAME/NAME on state/NAME.db.
# The publishers share the pseudonym key; reporting must not have it.
start() {
  local name=$1
  shift
  rm -f "$state/$name.port"
  local key=(--pseudonym_key_file="$state/pki/pseudonym.key")
  [ "$name" = reporting ] && key=()
  "build/services/$name/$name" \
    --listen=127.0.0.1:0 --port_file="$state/$name.port" \
    --db="sqlite://$state/$name.db" \
    --tls_cert="$state/pki/server.pem" --tls_key="$state/pki/server.key" --tls_ca="$state/pki/ca.pem" \
    --jwt_issuer=https://login.dev.ips.local --jwt_audience=ips-sydhavnen \
    --jwt_public_keys="$state/pki/jwt.pub" "${key[@]}" \
    --metrics_listen=127.0.0.1:0 --log_level=warn "$@" 2>>"$state/$name.log" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 200); do
    [ -s "$state/$name.port" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name failed to start; see $state/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "$name did not report its port; see $state/$name.log" >&2
  exit 1
}

start treatment
export TREATMENT_ADDR="localhost:$(cat "$state/treatment.port")"
start registry --treatment_address="$TREATMENT_ADDR" \
  --treatment_token_file="$state/registry-to-treatment.token" \
  --treatment_client_cert="$state/pki/client-registry.pem" --treatment_client_key="$state/pki/client-registry.key"

IPS_ADDR_REGISTRY="localhost:$(cat "$state/registry.port")"
start matching --registry_address="$IPS_ADDR_REGISTRY" \
  --registry_client_cert="$state/pki/client-matching.pem" --registry_client_key="$state/pki/client-matching.key"
export MATCHING_ADDR="localhost:$(cat "$state/matching.port")"
start reporting --registry_address="$IPS_ADDR_REGISTRY" --matching_address="$MATCHING_ADDR" \
  --treatment_address="$TREATMENT_ADDR" --feed_token_file="$state/reporting.token" \
  --feed_client_cert="$state/pki/client-reporting.pem" --feed_client_key="$state/pki/client-reporting.key"
export REPORTING_ADDR="localhost:$(cat "$state/reporting.port")"

# ipsctl reads its connection and development identity from the environment.
export IPS_ADDR="localhost:$(cat "$state/registry.port")"
export IPS_CA="$state/pki/ca.pem" IPS_CERT="$state/pki/client-ipsctl.pem" IPS_KEY="$state/pki/client-ipsctl.key"
# The feed reader's identity (reporting's certificate), for report.sh's
# check that reporting has caught up.
export FEED_CERT="$state/pki/client-reporting.pem" FEED_KEY="$state/pki/client-reporting.key"
export IPS_AS_SUBJECT=demo-loader IPS_AS_AGENCY=BIF IPS_AS_ROLES=ips_consultant,team_lead

# Two years of programme life for 150 citizens through the public APIs
# (deterministic; a second run finds everything made and adds nothing).
build/tools/ips-sim/ips-sim --registry="$IPS_ADDR" --matching="$MATCHING_ADDR" --treatment="$TREATMENT_ADDR" \
  --seed="${IPS_SIM_SEED:-2026}" 2>>"$state/demo.log"
scripts/summary.sh 2>>"$state/demo.log"
scripts/report.sh 2>>"$state/demo.log"
if [ $keep -eq 1 ]; then
  echo
  echo "registry at $IPS_ADDR, treatment at $TREATMENT_ADDR, matching at $MATCHING_ADDR and reporting at $REPORTING_ADDR running (pids ${pids[*]}); stop with: kill ${pids[*]}"
fi
