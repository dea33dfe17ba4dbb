#!/usr/bin/env bash
# Installs the Debian 12 packages cwlf builds and tests with, when any is missing.
# It is not a build script: it only calls apt-get, and only for packages not yet installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost-dev            # Boost.Spirit X3 (header-only)
  libsimdjson-dev         # JSON extraction (On-Demand)
  libre2-dev              # regular expressions, linear time
  nlohmann-json3-dev      # packs, test inputs, the reference evaluator
  libcli11-dev            # command line
  libfmt-dev              # formatting (GCC 12 has no <format>)
  libgtest-dev libgmock-dev libbenchmark-dev
  libdeflate-dev zlib1g-dev
  libvectorscan-dev       # literal prefilter for rule sets
  clang libclang-rt-14-dev  # libFuzzer target and sanitizers
  python3 python3-pytest pybind11-dev python3-dev
  jq                      # bench/compare.py runs the same rule in jq
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
