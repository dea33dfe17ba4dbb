# Finds the Debian 12 packages cwlf builds with (scripts/install-deps.sh installs them).
# Boost (Spirit X3), simdjson, RE2 and Vectorscan stay private to the library.
find_package(PkgConfig REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(simdjson REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)  # Vectorscan: the RuleSet prefilter
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)  # small gzip inputs, whole
if(CWLF_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CWLF_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
