#!/usr/bin/env bash
# Configures and builds cwlf (Release) into ./build with both cores.
# Not an installer: scripts/install-deps.sh installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build -j2
