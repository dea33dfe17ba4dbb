// What the X3 rules are instantiated with: the iterator (const char*), the
// skipper, and the context tags through which the source start and the error
// sink reach annotate.hpp and diagnose.hpp.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cwlf::grammar {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

// The first parse failure: byte offset and the name of what was expected.
struct SyntaxFailure {
  uint32_t offset = 0;
  std::string expected;
};

struct ParseState {
  iterator_type source_begin = nullptr;
  std::optional<SyntaxFailure> failure;
};

struct parse_state_tag;

}  // namespace cwlf::grammar
