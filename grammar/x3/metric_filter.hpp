// Entry points of the filter-pattern grammar: one per pattern family. Each
// parses the whole text (trailing input is a failure) and reports the first
// syntax failure in `state`. The dispatch by first character is in src/parse.
#pragma once

#include <string_view>

#include "config.hpp"
#include "syntax.hpp"

namespace cwlf::grammar {

bool ParseTermPattern(std::string_view text, ast::TermPattern& out, ParseState& state);
bool ParseJsonPattern(std::string_view text, ast::JsonPattern& out, ParseState& state);
bool ParseDelimitedPattern(std::string_view text, ast::DelimitedPattern& out, ParseState& state);

}  // namespace cwlf::grammar
