#!/usr/bin/env bash
# Installs what the tests need (Debian packages, buf from npm), starts a
# private PostgreSQL server, builds everything warning-free, and runs every
# test: unit, gRPC API on SQLite and PostgreSQL, multi-process, proto lint
# and formatting. PostgreSQL tests are required here, never skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install-deps.sh --tests
export IPS_TEST_PG_URL
IPS_TEST_PG_URL=$(scripts/start-postgres.sh "${IPS_PG_DIR:-/tmp/ips-test-pg}" "${IPS_PG_PORT:-55432}")
export IPS_REQUIRE_PG=1 IPS_REQUIRE_CHROMIUM=1 IPS_REQUIRE_DEPLOY_TOOLS=1
# The load test with a restart runs for 80 s per database here, killed after
# a minute (20 s elsewhere, such as under the sanitizers).
export IPS_LOAD_SECONDS=${IPS_LOAD_SECONDS:-80}
echo "PostgreSQL for tests: $IPS_TEST_PG_URL"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
cd build
ctest -j2 --output-on-failure --timeout 600
