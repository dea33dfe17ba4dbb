// The reference evaluator (the oracle): answers "does this pattern match this
// event" straight from the IR, with nlohmann-json for JSON, its own field
// splitter and its own glob. Deliberately simple and slow; it shares nothing
// with the VM but the IR and the compiled RE2 objects. Tests, benchmarks and
// `cwlf test --reference` use it to check the fast path.
#pragma once

#include <string_view>
#include <vector>

#include "cwlf/matcher.hpp"
#include "cwlf/program.hpp"

namespace cwlf::reference {

struct Answer {
  bool matched = false;
  std::vector<ExtractedValue> extracted;  // space-delimited patterns only
};

Answer Evaluate(const Program& program, std::string_view message);

}  // namespace cwlf::reference
