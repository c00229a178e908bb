#!/usr/bin/env bash
# The second CI step (issue 7): the whole suite built with clang under
# AddressSanitizer and UndefinedBehaviorSanitizer and every test run again
# there (both databases), then each libFuzzer target run for a bounded time
# (IPS_FUZZ_SECONDS, default 30) from the seeds in fuzz/corpus: the parsers
# and each service's request validation (service_request). Any
# sanitizer report, failed test or fuzzer crash fails the step. The fuzzers'
# executions are printed and kept in build-san/fuzz-stats.txt. UBSan's vptr
# check is off: it needs the type info of SOCI's internal classes, which
# Debian's libsoci does not export.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh --sanitize
build=${IPS_SAN_BUILD:-$root/build-san}
if [ -z "${IPS_TEST_PG_URL:-}" ]; then
  IPS_TEST_PG_URL=$(scripts/start-postgres.sh "${IPS_PG_DIR:-$root/build/pg}")
  export IPS_TEST_PG_URL
fi
export IPS_REQUIRE_PG=1 IPS_REQUIRE_CHROMIUM=1 IPS_REQUIRE_DEPLOY_TOOLS=1
# Stop at the first report, with a readable stack.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/scripts/lsan-suppressions.txt:print_suppressions=0
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIPS_BUILD_BENCH=OFF -DIPS_BUILD_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
ninja -C "$build" -j2
(cd "$build" && ctest -j2 --output-on-failure -E 'format_check|buf_lint')

seconds=${IPS_FUZZ_SECONDS:-30}
stats="$build/fuzz-stats.txt"
: >"$stats"
for target in cpr cvr page_token filter resource_name jwt service_request; do
  work=$(mktemp -d)
  log="$work.log"
  # New inputs go to the scratch folder; the kept seeds are read only.
  "$build/fuzz/${target}_fuzz" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/" \
    "$work" "fuzz/corpus/$target" >"$log" 2>&1 || {
    tail -40 "$log"
    echo "sanitize: ${target}_fuzz found a crash; the input is in $work (add it to fuzz/corpus/$target)" >&2
    exit 1
  }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "$target: $runs executions in ${seconds} s, no crash" | tee -a "$stats"
  rm -rf "$work" "$log"
done
