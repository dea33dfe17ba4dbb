// Stages 3-4: checks the syntax tree (every semantic error and warning, not
// just the first) and lowers it to the predicate IR. Missing-field and type
// rules are those of grammar/semantics.md; each is cited where it is applied.
#pragma once

#include <string_view>
#include <vector>

#include "cwlf/diagnostic.hpp"
#include "cwlf/options.hpp"
#include "ir/ir.hpp"
#include "parse/parse.hpp"

namespace cwlf::sema {

struct Lowered {
  ir::Filter filter;
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in source order
  bool ok() const;
};

Lowered Lower(const parse::ParsedPattern& parsed, std::string_view source,
              const CompileOptions& options);

}  // namespace cwlf::sema
