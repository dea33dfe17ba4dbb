#!/usr/bin/env bash
# The README's second command and what CI runs: builds, then runs every test:
# ctest (unit, golden, conformance, differential, CLI, scan, install), the
# outside conformance scorer, a sanitizer build of the unit and conformance
# tests, and a short fuzz run. Needs ../shared beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/install-deps.sh
bash scripts/build.sh

echo "== ctest"
(cd build && ctest --output-on-failure -j2)

echo "== outside conformance scorer"
for f in aws-recorded cases; do
  CONF_MIN=1.0 /usr/bin/python3 ../shared/tools/conformance.py build/cwlf ../shared/spec/$f.jsonl filter | tail -1
done

if [ -x tests/sanitize/run_asan.sh ] || [ -f tests/sanitize/run_asan.sh ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
  bash tests/sanitize/run_asan.sh "$root/build-asan"
fi
if [ -f tests/fuzz/run_fuzz.sh ]; then
  echo "== fuzz (short)"
  bash tests/fuzz/run_fuzz.sh "$root/build-fuzz" "${CWLF_FUZZ_SECONDS:-30}"
fi
echo "== all tests passed"
