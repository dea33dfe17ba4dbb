#!/usr/bin/env bash
# Builds the libFuzzer targets in a separate clang build and runs each one for
# SECONDS; exits non-zero if any target crashes, leaks, times out or finds a
# VM/reference disagreement. The normal build uses GCC and cannot link
# libFuzzer, hence the separate build. Not a unit test: ctest does not run it.
#
# Usage: tests/fuzz/run_fuzz.sh BUILD_DIR SECONDS
# Environment:
#   CWLF_SHARED_DIR       the shared/ folder (default: $(dirname $0)/../../../shared)
#   CWLF_FUZZ_TARGETS     targets to run (default: "fuzz_parse fuzz_event fuzz_image")
#   CWLF_FUZZ_KEEP_GOING  1: keep fuzzing after a crash (libFuzzer -fork=1
#                         -ignore_crashes=1) to collect every distinct finding
#   CWLF_FUZZ_JOBS        build parallelism (default: nproc)
#
# Layout under BUILD_DIR/fuzz: seeds/<target> (rebuilt each run from
# shared/spec/*.jsonl, tests/golden/**/*.case and shared/corpus), corpus/<target>
# (what the fuzzer adds; kept between runs), artifacts/<target> (crash inputs),
# <target>.log. Replay an artifact with: BUILD_DIR/fuzz/<target> FILE
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 64
fi
build_dir=$(mkdir -p "$1" && cd "$1" && pwd)
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
shared_dir=${CWLF_SHARED_DIR:-$here/../../../shared}
targets=${CWLF_FUZZ_TARGETS:-fuzz_parse fuzz_event fuzz_image}
jobs=${CWLF_FUZZ_JOBS:-$(nproc)}

echo "== configure (clang) in $build_dir"
CC=clang CXX=clang++ cmake -S "$source_dir" -B "$build_dir" -DCWLF_FUZZ=ON \
  -DCWLF_BUILD_TESTS=OFF -DCWLF_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "== build $targets"
# shellcheck disable=SC2086  # targets is a word list
cmake --build "$build_dir" --target $targets -j "$jobs" >"$build_dir/fuzz-build.log" 2>&1 || {
  tail -n 40 "$build_dir/fuzz-build.log"
  echo "run_fuzz: build failed (log: $build_dir/fuzz-build.log)" >&2
  exit 1
}

# Seeds: one file per distinct pattern or event.
fuzz_dir=$build_dir/fuzz
rm -rf "$fuzz_dir/seeds"
mkdir -p "$fuzz_dir/seeds/fuzz_parse" "$fuzz_dir/seeds/fuzz_event" "$fuzz_dir/seeds/fuzz_image"
python3 - "$shared_dir" "$source_dir/tests/golden" "$fuzz_dir/seeds" <<'PY'
import glob, gzip, hashlib, json, os, sys

shared, golden, out = sys.argv[1:4]
counts = {"fuzz_parse": 0, "fuzz_event": 0}

def seed(target, text):
    data = text.encode("utf-8", "surrogateescape")[:2048]
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(out, target, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] += 1

for spec in sorted(glob.glob(os.path.join(shared, "spec", "*.jsonl"))):
    with open(spec, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            case = json.loads(line)
            if isinstance(case.get("pattern"), str):
                seed("fuzz_parse", case["pattern"])
            if isinstance(case.get("event"), str):
                seed("fuzz_event", case["event"])
for case in sorted(glob.glob(os.path.join(golden, "**", "*.case"), recursive=True)):
    with open(case, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("pattern:"):
                seed("fuzz_parse", line[len("pattern: "):])
            elif line.startswith("event: "):
                seed("fuzz_event", line[len("event: "):].rsplit(" => ", 1)[0])
# A few real CloudTrail events from each corpus file.
for corpus in sorted(glob.glob(os.path.join(shared, "corpus", "*.jsonl.gz"))):
    with gzip.open(corpus, "rt", encoding="utf-8", errors="surrogateescape") as f:
        for i, line in enumerate(f):
            if i >= 40:
                break
            seed("fuzz_event", line.rstrip("\n"))
print("seeds: %d patterns, %d events (from %s)" % (counts["fuzz_parse"], counts["fuzz_event"], shared))
PY

status=0
start_mark=$fuzz_dir/.run-start
touch "$start_mark"
for target in $targets; do
  corpus=$fuzz_dir/corpus/$target
  artifacts=$fuzz_dir/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  dict=$here/pattern.dict
  [[ $target == fuzz_event ]] && dict=$here/event.dict
  extra=()
  [[ $target == fuzz_image ]] && dict=""  # it damages a fixed image; no words help
  [[ ${CWLF_FUZZ_KEEP_GOING:-0} == 1 ]] && extra=(-fork=1 -ignore_crashes=1)
  log=$fuzz_dir/$target.log
  echo "== $target for ${seconds}s (log: $log)"
  rc=0
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$fuzz_dir/$target" -max_len=2048 -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 ${dict:+-dict="$dict"} -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "${extra[@]}" "$corpus" "$fuzz_dir/seeds/$target" >"$log" 2>&1 || rc=$?
  found=$(find "$artifacts" -type f -newer "$start_mark" | wc -l)
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ +DONE)' "$log" | tail -n 3 || true
  if [[ $rc -ne 0 || $found -ne 0 ]]; then
    status=1
    grep -E -A3 '^(fuzz_parse|fuzz_event|fuzz_image):|^terminate called|ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
      "$log" | grep -v '^    #' | head -n 40 || true
    grep -E '^(SUMMARY|artifact_prefix)' "$log" | head -n 4 || true
    echo "run_fuzz: $target FAILED (exit $rc, $found artifact(s) in $artifacts)"
  else
    echo "run_fuzz: $target ok"
  fi
done

if [[ $status -ne 0 ]]; then
  echo "run_fuzz: FAILED"
else
  echo "run_fuzz: all targets ran ${seconds}s without a finding"
fi
exit $status
