// The `cwlf` command line: dispatches to the subcommands in cmd_*.cpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.hpp"
#include "cwlf/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cwlf: CloudWatch Logs filter patterns, compiled and checked"};
  app.set_version_flag("--version", std::string(cwlf::kVersion));
  app.require_subcommand(1);
  std::vector<cwlf::cli::Runner> runners;
  std::vector<CLI::App*> subcommands;
  auto add = [&](cwlf::cli::Runner r) { runners.push_back(std::move(r)); };
  add(cwlf::cli::AddCheck(app));
  add(cwlf::cli::AddExplain(app));
  add(cwlf::cli::AddTest(app));
  add(cwlf::cli::AddScan(app));
  add(cwlf::cli::AddCompile(app));
  add(cwlf::cli::AddQuery(app));
  std::vector<std::string> args;
  for (int i = argc - 1; i > 0; --i) {
    std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '[') arg.insert(arg.begin(), cwlf::cli::kShield);
    args.push_back(std::move(arg));  // CLI11 takes them in reverse order
  }
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  const auto chosen = app.get_subcommands();
  const auto all = app.get_subcommands(nullptr);
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i] == chosen.front()) return runners[i]();
  return 2;
}
