// AWS's restricted regular-expression dialect for %...% (semantics.md R-X*):
// which characters and escapes are allowed, and the translation to RE2.
// Compiling the result is left to the caller (RE2 options live there).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cwlf/diagnostic.hpp"

namespace cwlf::sema {

struct RegexProblem {
  uint32_t offset = 0;  // into the body
  uint32_t length = 1;
  ErrorCode code = ErrorCode::kInvalidCharacter;
  std::string message;
};

// Checks `body` (the text between the percent signs). Returns the first
// problem, or nothing when AWS would accept it.
std::optional<RegexProblem> CheckAwsRegex(std::string_view body);

}  // namespace cwlf::sema
