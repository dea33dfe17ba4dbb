#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the
# main job (cwlf scan with the built-in pack over the bundled sample).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/cwlf scan examples/data/sample
