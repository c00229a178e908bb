#!/usr/bin/env bash
# Installs every build, test and run dependency from Debian 12 packages;
# with --tests also what only the tests need (Chromium, which renders the
# HTML report headless; docker-compose and kubectl, which render the deploy
# files; no Docker engine or cluster is used). Quick no-op when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev
  golang-github-gogo-googleapis-dev grpc-proto
  libabsl-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcpp-jwt-dev
  libssl-dev openssl prometheus-cpp-dev
  libsoci-dev libsqlite3-dev libpq-dev libboost-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev libyaml-cpp-dev
  postgresql postgresql-client sqlite3
  clang-format procps curl jq
)
[ "${1:-}" = "--tests" ] && PACKAGES+=(chromium docker-compose)
# --sanitize: the tests' packages and clang with its sanitizer and libFuzzer
# runtimes (scripts/sanitize.sh).
[ "${1:-}" = "--sanitize" ] && PACKAGES+=(chromium docker-compose clang libclang-rt-14-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# buf (the proto linter) runs from npm; Node may come from Debian or elsewhere.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# Any kubectl with kustomize will do; Debian's is kubernetes-client (1.20).
case "${1:-}" in --tests | --sanitize) command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client) ;; esac
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
