// Stage 1 for Logs Insights: query text -> QueryAst, plus the lint warnings
// for mistakes that parse but mislead (semantics.md R-I10..R-I13). Stops at
// the first syntax error; every unsupported command or function is an error
// with its position.
#pragma once

#include <string_view>
#include <vector>

#include "cwlf/diagnostic.hpp"
#include "insights/ast.hpp"

namespace cwlf::insights {

struct Parsed {
  QueryAst ast;
  std::vector<Diagnostic> diagnostics;  // at most one error, then warnings
  bool ok() const;
};

Parsed ParseQuery(std::string_view text);
// A bare filter expression (the operand of one `filter` command).
Parsed ParseFilterExpression(std::string_view text);

}  // namespace cwlf::insights
