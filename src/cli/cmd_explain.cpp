// cwlf explain PATTERN [--stage ast|ir|bytecode]: prints a stage's canonical form.
#include <iostream>

#include "cli/commands.hpp"
#include "cwlf/cwlf.hpp"

namespace cwlf::cli {

Runner AddExplain(CLI::App& app) {
  auto* cmd = app.add_subcommand("explain", "print the AST, IR or bytecode of a pattern");
  auto pattern = std::make_shared<std::string>();
  auto stage = std::make_shared<std::string>("bytecode");
  cmd->add_option("pattern", *pattern, "filter pattern")->required();
  cmd->add_option("--stage", *stage, "ast, ir or bytecode")->check(CLI::IsMember({"ast", "ir", "bytecode"}));
  return [pattern, stage]() {
    auto program = Program::Compile(*pattern);
    if (!program) {
      std::cerr << program.error().Render();
      return 2;
    }
    const Stage s = *stage == "ast" ? Stage::kAst : *stage == "ir" ? Stage::kIr : Stage::kBytecode;
    std::cout << program->Explain(s);
    return 0;
  };
}

}  // namespace cwlf::cli
