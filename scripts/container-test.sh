#!/usr/bin/env bash
# The suite in real containers, as an operator runs it from
# docker-compose.yml: builds the image (and the PostgreSQL image where the
# official one cannot be pulled), makes the development credentials, brings
# the suite up with one PostgreSQL per owner, waits for every health check,
# checks the image's promises in the running containers (user 10001, a
# read-only root, the health-only port answering grpc.health.v1, /metrics),
# runs the simulator job and the report job, tears down with the volumes;
# then again with faults: each service container killed mid-simulation and
# started again, one PostgreSQL restarted; the report must equal the
# undisturbed one. Prints what it measured (build time, image sizes, cold
# start to healthy, memory). Fails on any of it.
#
#   scripts/container-test.sh        (after the test command has built ipsctl)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
citizens=${IPS_CONTAINER_CITIZENS:-60}
project=ipsct
ipsctl="$root/build/tools/ipsctl/ipsctl"
say() { echo "container-test: $*"; }
fail() {
  echo "container-test: FAILED: $*" >&2
  exit 1
}
[ -x "$ipsctl" ] || fail "build ipsctl first (scripts/test.sh)"

eval "$(scripts/container-host.sh)"
export DOCKER_HOST="${DOCKER_HOST:-}"
[ -n "$DOCKER_HOST" ] || unset DOCKER_HOST
compose() { docker-compose -p "$project" "$@"; }

# Without systemd, podman runs no health checks by itself: run them here,
# every two seconds, as systemd's timers would.
ticker_pid=""
if [ "${IPS_HEALTH_TICKER:-0}" = 1 ]; then
  (while sleep 2; do
    for c in $(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'); do
      podman healthcheck run "$c" >/dev/null 2>&1 || true
    done
  done) &
  ticker_pid=$!
fi
cleanup() {
  [ -n "$ticker_pid" ] && kill "$ticker_pid" 2>/dev/null || true
  compose --profile jobs down -v --remove-orphans >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- images
# podman writes OCI images by default, which have no HEALTHCHECK; the
# Docker format keeps it.
build() { if [ "$ENGINE" = podman ]; then podman build --format docker "$@"; else docker build "$@"; fi; }
start=$(date +%s)
build --network host -t ips-sydhavnen:dev . >/var/tmp/ips-image-build.log 2>&1 ||
  { tail -n 30 /var/tmp/ips-image-build.log; fail "the image does not build"; }
build_seconds=$(($(date +%s) - start))
build --network host --build-arg RUNTIME_BASE=debian:12 -t ips-sydhavnen:dev-full . \
  >/var/tmp/ips-image-build-full.log 2>&1 || fail "the image does not build on debian:12"
size_of() { $ENGINE image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f", $1 / 1000000}'; }
say "image built in ${build_seconds}s: $(size_of ips-sydhavnen:dev) MB on debian:12-slim, $(size_of ips-sydhavnen:dev-full) MB on debian:12"

if $ENGINE pull -q docker.io/library/postgres:15-bookworm >/dev/null 2>&1; then
  export IPS_POSTGRES_IMAGE=docker.io/library/postgres:15-bookworm
else
  build --network host -t ips-postgres:15-bookworm deploy/compose/postgres >/var/tmp/ips-postgres-build.log 2>&1 ||
    { tail -n 30 /var/tmp/ips-postgres-build.log; fail "the PostgreSQL image does not build"; }
  export IPS_POSTGRES_IMAGE=ips-postgres:15-bookworm
  say "postgres:15-bookworm cannot be pulled: built $IPS_POSTGRES_IMAGE from Debian's postgresql-15"
fi

# The Kubernetes dev overlay names the image this test built.
$ENGINE tag ips-sydhavnen:dev registry.kk.dk/ips/ips-sydhavnen:dev
for image in $(kubectl kustomize deploy/k8s/overlays/dev | sed -n 's/^ *image: *//p' | sort -u); do
  $ENGINE image inspect "$image" >/dev/null 2>&1 || fail "the dev overlay names $image, which this test did not build"
done

# --- the suite up
scripts/compose-secrets.sh
services=(treatment registry matching reporting)
# up NAME...: starts the suite and waits until every container is healthy;
# prints each service's seconds from the start to healthy.
up() {
  local t0
  t0=$(date +%s)
  compose up -d >/var/tmp/ips-compose-up.log 2>&1 || { cat /var/tmp/ips-compose-up.log; fail "docker-compose up"; }
  wait_healthy "$t0" "${services[@]}" postgres-bif postgres-sof postgres-reporting
}
container_of() { compose ps -q "$1" | head -n 1; }
health_of() { $ENGINE inspect --format '{{.State.Health.Status}}' "$(container_of "$1")" 2>/dev/null || echo none; }
wait_healthy() {
  local t0=$1 name
  shift
  declare -A ready=()
  for _ in $(seq 1 240); do
    for name in "$@"; do
      [ -n "${ready[$name]:-}" ] && continue
      [ "$(health_of "$name")" = healthy ] && ready[$name]=$(($(date +%s) - t0))
    done
    [ ${#ready[@]} -eq $# ] && break
    sleep 0.5
  done
  for name in "$@"; do
    [ -n "${ready[$name]:-}" ] || { compose logs --tail 40 "$name"; fail "$name did not become healthy"; }
  done
  for name in "${services[@]}"; do
    if [ -n "${ready[$name]:-}" ]; then echo "$name ${ready[$name]}"; fi
  done
  return 0
}
memory_of() {
  $ENGINE stats --no-stream --format '{{.Name}} {{.MemUsage}}' 2>/dev/null | grep "^${project}_" |
    sed "s/^${project}_//; s/_1 / /" | awk '{print "  " $1 ": " $2}'
}
# Waits until reporting has applied every event the three publishers wrote.
caught_up() {
  local want have
  export IPS_CA="$root/state/compose/ca.pem" IPS_DEV_KEY="$root/state/compose/jwt.key"
  export IPS_JWT_ISSUER=https://login.dev.ips.local IPS_JWT_AUDIENCE=ips-sydhavnen
  last() {
    IPS_ADDR=localhost:$1 IPS_CERT="$root/state/compose/client-reporting.pem" \
      IPS_KEY="$root/state/compose/client-reporting.key" IPS_AS_AGENCY=JOINT IPS_AS_ROLES=event_reader \
      "$ipsctl" events stream --service="$2" --timeout=1 --json | tail -n 1 | jq -r '.sequence // 0'
  }
  want="$(last 50051 registry) $(last 50053 matching) $(last 50052 treatment)"
  for _ in $(seq 1 300); do
    have=$(IPS_ADDR=localhost:50054 IPS_CERT="$root/state/compose/client-ipsctl.pem" \
      IPS_KEY="$root/state/compose/client-ipsctl.key" IPS_AS_AGENCY=JOINT IPS_AS_ROLES=analyst \
      "$ipsctl" feeds status --json | jq -r '[.feeds[] | (.applied_sequence // 0 | tostring)] | join(" ")')
    [ "$have" = "$want" ] && return 0
    sleep 0.5
  done
  fail "reporting did not catch up (applied $have, published $want)"
}
report() {
  caught_up
  compose --profile jobs run --rm report ipsctl report get --json --as-subject=demo-analyst --as-agency=JOINT \
    --as-roles=analyst 2>/dev/null |
    # Consultants are made anew by each run, so their pseudonyms differ.
    jq -S 'del(.feeds) | .consultants |= (map(del(.consultant_id)) | sort_by(tostring))'
}
simulate() {
  compose --profile jobs run --rm simulator ips-sim --registry=registry:50051 --matching=matching:50051 \
    --treatment=treatment:50051 --citizens="$citizens" --days=600
}

# --- undisturbed
say "the suite up on PostgreSQL per owner"
cold=$(up)
say "cold start to healthy (seconds): $(echo "$cold" | tr '\n' ' ')"
# The image's promises, in the running containers.
for name in "${services[@]}"; do
  c=$(container_of "$name")
  [ "$($ENGINE exec "$c" id -u)" = 10001 ] || fail "$name runs as $($ENGINE exec "$c" id -u), not 10001"
  [ "$($ENGINE inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$c")" = true ] || fail "$name's root is writable"
  $ENGINE exec "$c" sh -c 'touch /probe' 2>/dev/null && fail "$name could write to its root filesystem"
  $ENGINE exec -e IPS_ADDR=localhost:8081 "$c" ipsctl health check --insecure-plaintext >/dev/null ||
    fail "$name's health-only port does not answer grpc.health.v1"
  ip=$($ENGINE inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$c" | awk '{print $1}')
  curl -fsS --max-time 5 "http://$ip:9464/metrics" | grep -q '^# TYPE ips_' ||
    fail "$name's /metrics does not answer"
done
say "every service runs as 10001 on a read-only root; health-only port and /metrics answer"
rest=$(memory_of)
simulate >/var/tmp/ips-sim-undisturbed.log 2>&1 || { cat /var/tmp/ips-sim-undisturbed.log; fail "the simulator job"; }
tail -n 2 /var/tmp/ips-sim-undisturbed.log
undisturbed=$(report)
[ "$(jq '.kpis | length' <<<"$undisturbed")" -gt 5 ] || fail "the report job gave no report: $undisturbed"
after=$(memory_of)
compose --profile jobs run --rm report >/var/tmp/ips-report.txt 2>&1 || fail "the report job"
head -n 8 /var/tmp/ips-report.txt
say "memory at rest:"
echo "$rest"
say "memory after the simulation:"
echo "$after"
compose --profile jobs down -v --remove-orphans >/dev/null 2>&1

# --- with faults
say "again, killing each service mid-simulation and restarting a PostgreSQL"
up >/dev/null
simulate >/var/tmp/ips-sim-faults.log 2>&1 &
sim=$!
sleep 8
for name in "${services[@]}" postgres-bif; do
  if [ "$name" = postgres-bif ]; then
    compose restart postgres-bif >/dev/null 2>&1
  else
    compose kill "$name" >/dev/null 2>&1
    sleep 1
    compose start "$name" >/dev/null 2>&1
  fi
  wait_healthy "$(date +%s)" "$name" >/dev/null
  say "$name back"
  sleep 4
done
wait "$sim" || { cat /var/tmp/ips-sim-faults.log; fail "the simulator did not finish under faults"; }
tail -n 2 /var/tmp/ips-sim-faults.log
disturbed=$(report)
if [ "$disturbed" != "$undisturbed" ]; then
  diff <(echo "$undisturbed") <(echo "$disturbed") | head -n 40
  fail "the report after the faults differs from the undisturbed one"
fi
say "the report after the faults equals the undisturbed one"
say "passed"
