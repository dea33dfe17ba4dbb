// Internal: turns a lowered IR filter into a verified Program (codegen,
// verify). Used by Program::Compile for both dialects and by Query::Compile
// for its filter stages. `ast_text` is the Explain(kAst) text when re-parsing
// `source` would not give it (std::nullopt: Explain re-parses `source`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cwlf/program.hpp"
#include "ir/ir.hpp"

namespace cwlf::detail {

Result<Program> BuildProgram(ir::Filter filter, std::string source, const CompileOptions& options,
                             std::optional<std::string> ast_text, std::vector<Diagnostic> warnings);

}  // namespace cwlf::detail
