// Lowers a Logs Insights filter expression to the dialect-free IR, so the
// same codegen and VM run it as run filter patterns. Only expressions over
// event fields and literals lower (comparisons, like, =~, in, ispresent,
// and/or/not); the rest stay with the query interpreter (query.cpp).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cwlf/diagnostic.hpp"
#include "insights/ast.hpp"
#include "ir/ir.hpp"

namespace cwlf::insights {

struct LowerOutcome {
  std::optional<ir::Filter> filter;  // empty: the expression needs the interpreter
  std::string why_not;               // what kept it from lowering
  std::vector<Diagnostic> errors;    // e.g. a regex RE2 cannot compile
};

// `computed` names fields that earlier commands create (they are not event
// fields, so a filter that reads them cannot run on the VM).
LowerOutcome LowerFilter(const Expr& expr, std::string_view source, const std::set<std::string>& computed);

// Translates an Insights regex to RE2 syntax ((?<name> -> (?P<name>).
std::string ToRe2(std::string_view regex);

}  // namespace cwlf::insights
