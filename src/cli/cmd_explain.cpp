// cwlf explain PATTERN [--stage ast|ir|bytecode]: prints a stage's canonical form.
#include <iostream>

#include "cli/commands.hpp"
#include "cwlf/cwlf.hpp"

namespace cwlf::cli {

Runner AddExplain(CLI::App& app) {
  auto* cmd = app.add_subcommand("explain", "print the AST, IR or bytecode of a pattern");
  auto pattern = std::make_shared<std::string>();
  auto stage = std::make_shared<std::string>("bytecode");
  auto dialect = std::make_shared<std::string>("filter");
  cmd->add_option("pattern", *pattern, "filter pattern")->required();
  cmd->add_option("--stage", *stage, "ast, ir or bytecode")->check(CLI::IsMember({"ast", "ir", "bytecode"}));
  cmd->add_option("--dialect", *dialect, "filter (a pattern) or insights (a query)")
      ->check(CLI::IsMember({"filter", "insights"}));
  return [pattern, stage, dialect]() {
    *pattern = Unshield(*pattern);
    const Stage s = *stage == "ast" ? Stage::kAst : *stage == "ir" ? Stage::kIr : Stage::kBytecode;
    auto explain = [&s](const auto& compiled) {
      if (!compiled) {
        std::cerr << compiled.error().Render();
        return 2;
      }
      std::cout << compiled->Explain(s);
      return 0;
    };
    if (*dialect == "insights") return explain(Query::Compile(*pattern));
    return explain(Program::Compile(*pattern));
  };
}

}  // namespace cwlf::cli
