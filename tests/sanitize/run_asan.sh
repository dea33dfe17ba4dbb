#!/usr/bin/env bash
# Sanitizer run: a Debug build with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer (-DCWLF_SANITIZE=ON), then every gtest in
# cwlf_tests and the CLI shape test against the instrumented CLI. Exits
# non-zero on any sanitizer report or test failure. Budget: under 10 minutes
# on 2 cores from a clean BUILD_DIR. Not the fuzzers (tests/fuzz/run_fuzz.sh).
#
# To fit the budget: Debug is compiled with -O1 (what ASan's authors
# recommend; the tests run 8x faster than at -O0, asserts stay on) and -g1
# (line tables: reports keep file:line, the build is a third faster), and
# cwlf_tests runs as two processes side by side, the corpus differential test
# alone in one and every other test in the other.
#
# Usage: tests/sanitize/run_asan.sh BUILD_DIR
# Environment: CWLF_SANITIZE_JOBS (build parallelism, default 2).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 64
fi
build_dir=$(mkdir -p "$1" && cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${CWLF_SANITIZE_JOBS:-2}
start=$SECONDS

echo "== configure (ASan+UBSan, Debug) in $build_dir"
cmake -S "$source_dir" -B "$build_dir" -DCWLF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCWLF_BUILD_TESTS=ON -DCWLF_BUILD_BENCH=OFF >"$build_dir/sanitize-configure.log" 2>&1 || {
  cat "$build_dir/sanitize-configure.log"
  exit 1
}

echo "== build cwlf_tests cwlf_cli (-j$jobs)"
cmake --build "$build_dir" --target cwlf_tests cwlf_cli -j "$jobs" >"$build_dir/sanitize-build.log" 2>&1 || {
  tail -n 60 "$build_dir/sanitize-build.log"
  echo "run_asan: build failed (log: $build_dir/sanitize-build.log)" >&2
  exit 1
}
built=$SECONDS

# Any sanitizer report is fatal; leaks are reported at exit.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
export CWLF_DIFF_SAMPLE=small  # the differential test's short sample, where it reads this

status=0
tests_bin=$build_dir/tests/cwlf_tests
# Two filters whose union is every test: nothing is excluded.
heavy='Differential.*'
echo "== cwlf_tests (all tests, as '$heavy' and '-$heavy' in parallel)"
"$tests_bin" --gtest_brief=1 --gtest_filter="$heavy" >"$build_dir/sanitize-tests-1.log" 2>&1 &
first=$!
"$tests_bin" --gtest_brief=1 --gtest_filter="-$heavy" >"$build_dir/sanitize-tests-2.log" 2>&1 || status=1
wait "$first" || status=1
cat "$build_dir/sanitize-tests-1.log" "$build_dir/sanitize-tests-2.log"
echo "== CLI shapes with the instrumented CLI"
bash "$source_dir/tests/cli/cli_shapes_test.sh" "$build_dir/cwlf" || status=1

end=$SECONDS
verdict=ok
[[ $status -eq 0 ]] || verdict=FAILED
echo "run_asan: $verdict (build $((built - start))s, tests $((end - built))s, total $((end - start))s)"
exit $status
