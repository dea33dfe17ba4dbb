// Explain(Stage::kAst): the syntax tree as an S-expression with spans.
#pragma once

#include <string>

#include "parse/parse.hpp"

namespace cwlf::ast {

std::string Print(const parse::ParsedPattern& parsed);

}  // namespace cwlf::ast
