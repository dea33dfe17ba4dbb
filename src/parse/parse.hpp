// Stage 1: pattern text -> syntax tree. Checks the size and nesting limits,
// picks the pattern family by its first character and runs the X3 grammar.
// Stops at the first syntax error. Semantic checks are in src/sema.
#pragma once

#include <expected>
#include <string_view>

#include "cwlf/diagnostic.hpp"
#include "cwlf/options.hpp"
#include "cwlf/program.hpp"
#include "grammar/x3/syntax.hpp"

namespace cwlf::parse {

struct ParsedPattern {
  PatternKind kind = PatternKind::kTerms;
  ast::TermPattern terms;
  ast::JsonPattern json;
  ast::DelimitedPattern delimited;
};

std::expected<ParsedPattern, Diagnostic> Parse(std::string_view text, const CompileOptions& options);

}  // namespace cwlf::parse
