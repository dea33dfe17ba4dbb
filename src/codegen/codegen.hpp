// Stage 5: IR -> detail::Image. Short-circuit code through true/false exit
// labels (Lua/RE2 jump lists): every test has a true and a false exit, every
// jump goes forward or to the terminals at pc 0/1, so a program is a DAG.
// The verifier runs on the result before anyone executes it.
#pragma once

#include <expected>

#include "cwlf/diagnostic.hpp"
#include "ir/ir.hpp"
#include "vm/image.hpp"

namespace cwlf::codegen {

// Fills image.code/spans/entry and the constant pools from `filter`. Fails
// only when a limit (CompileOptions::max_instructions) is exceeded.
std::expected<void, std::string> Generate(const ir::Filter& filter, detail::Image& image);

}  // namespace cwlf::codegen
