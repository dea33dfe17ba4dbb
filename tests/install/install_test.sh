#!/usr/bin/env bash
# Install-and-consume test: installs a built cwlf tree into a temporary prefix,
# then uses it the two ways an outside project would: the CMake package
# (examples/ configured, built and run with ctest against the prefix) and the
# pkg-config file (a small program compiled, linked and run with
# `pkg-config --cflags --libs cwlf`). It checks the packaging, not the library:
# the examples' own checks are the only assertions about behaviour.
#
# Usage: tests/install/install_test.sh BUILD_DIR   (a configured and built tree)
# Leaves nothing behind unless CWLF_KEEP_INSTALL_TEST=1 (then prints the path).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 64
fi
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cwlf-install-test.XXXXXX")
if [[ ${CWLF_KEEP_INSTALL_TEST:-0} == 1 ]]; then
  trap 'echo "install_test: kept $work"' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi
prefix=$work/prefix

step() { echo "== $*"; }
fail() {
  echo "install_test: FAILED: $*" >&2
  exit 1
}

# Consume with the compiler the tree was built with, and with the sanitizer
# runtime when the tree is a -DCWLF_SANITIZE=ON build (its objects need it).
cache=$build_dir/CMakeCache.txt
[[ -f $cache ]] || fail "$build_dir is not a configured build tree"
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
cxx=${cxx:-c++}
extra_flags=""
if grep -q '^CWLF_SANITIZE:BOOL=ON$' "$cache"; then
  extra_flags="-fsanitize=address,undefined"
fi

step "cmake --install $build_dir --prefix $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 || {
  cat "$work/install.log"
  fail "cmake --install"
}
for file in include/cwlf/cwlf.hpp bin/cwlf; do
  [[ -e $prefix/$file ]] || fail "$file was not installed"
done
config=$(find "$prefix" -name cwlfConfig.cmake -print -quit)
pc=$(find "$prefix" -name cwlf.pc -print -quit)
[[ -n $config ]] || fail "cwlfConfig.cmake was not installed"
[[ -n $pc ]] || fail "cwlf.pc was not installed"
"$prefix/bin/cwlf" --version >/dev/null || fail "the installed CLI does not run"

step "examples/ against the CMake package (find_package(cwlf), $cxx)"
cmake -S "$source_dir/examples" -B "$work/examples" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$extra_flags" -DCMAKE_BUILD_TYPE=Release >"$work/examples-configure.log" 2>&1 || {
  cat "$work/examples-configure.log"
  fail "configuring examples/ against the installed package"
}
cmake --build "$work/examples" -j "$(nproc)" >"$work/examples-build.log" 2>&1 || {
  tail -n 60 "$work/examples-build.log"
  fail "building examples/ against the installed package"
}
ctest --test-dir "$work/examples" --output-on-failure || fail "the examples' tests"

step "pkg-config --cflags --libs cwlf ($pc)"
PKG_CONFIG_PATH=$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs cwlf) || fail "pkg-config cannot read cwlf.pc"
echo "   $flags"
[[ $(pkg-config --variable=includedir cwlf) -ef $prefix/include ]] ||
  fail "cwlf.pc points at $(pkg-config --variable=includedir cwlf), not at the install prefix"
cat >"$work/tiny.cpp" <<'EOF'
#include <cstdio>

#include <cwlf/cwlf.hpp>

int main() {
  auto program = cwlf::Program::Compile("{ $.eventName = \"ConsoleLogin\" }");
  if (!program) return 1;
  cwlf::Matcher matcher(*program);
  const bool hit = matcher.Match(R"({"eventName":"ConsoleLogin"})").matched;
  const bool miss = matcher.Match(R"({"eventName":"GetObject"})").matched;
  std::printf("cwlf %s via pkg-config: %s\n", cwlf::kVersion, hit && !miss ? "ok" : "wrong");
  return hit && !miss ? 0 : 1;
}
EOF
# shellcheck disable=SC2086  # flags is a list of words
"$cxx" $extra_flags "$work/tiny.cpp" -o "$work/tiny" $flags || fail "compiling and linking with pkg-config's flags"
"$work/tiny" || fail "the pkg-config program"

echo "install_test: ok"
