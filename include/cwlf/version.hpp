// Library version.
#pragma once

#define CWLF_VERSION_MAJOR 0
#define CWLF_VERSION_MINOR 1
#define CWLF_VERSION_PATCH 0

namespace cwlf {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace cwlf
