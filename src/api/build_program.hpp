// Internal: turns a lowered IR filter into a verified Program (codegen,
// verify, printers). Used by Program::Compile for both dialects and by
// Query::Compile for its filter stages.
#pragma once

#include <string>
#include <vector>

#include "cwlf/program.hpp"
#include "ir/ir.hpp"

namespace cwlf::detail {

Result<Program> BuildProgram(ir::Filter filter, std::string source, const CompileOptions& options,
                             std::string ast_text, std::vector<Diagnostic> warnings);

}  // namespace cwlf::detail
