// The '*' wildcard of JSON and space-delimited values, compiled once. The
// default algorithm is the non-backtracking first-occurrence glob of
// semantics.md R-G1; GlobMode::kEdgesOnly is the documented 2020 reading.
// Not used for regular expressions (RE2 does those).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cwlf/options.hpp"

namespace cwlf::ir {

class Glob {
 public:
  enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kContains, kAny, kGeneral };

  static Glob Compile(std::string_view text, GlobMode mode);

  bool Match(std::string_view s) const;
  Shape shape() const { return shape_; }
  // kExact/kPrefix/kSuffix/kContains: the one literal chunk.
  const std::string& literal() const { return chunks_.front(); }
  // The literal pieces between stars: a text the glob matches holds each.
  const std::vector<std::string>& chunks() const { return chunks_; }
  const std::string& source() const { return source_; }

 private:
  Shape shape_ = Shape::kExact;
  bool anchored_start_ = true;  // first chunk must be a prefix
  bool anchored_end_ = true;    // last chunk must end the string
  std::vector<std::string> chunks_;
  std::string source_;
};

}  // namespace cwlf::ir
