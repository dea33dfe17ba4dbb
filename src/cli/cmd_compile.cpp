// cwlf compile PACK -o FILE.cwlfc [--param K=V]...
// Loads a pack (a file or builtin), compiles its filter patterns into one
// RuleSet and writes the pack with the RuleSet's image (src/scan/
// compiled_pack.hpp), for `cwlf scan --pack FILE.cwlfc`. Exit 0 when written,
// 2 for a bad pack or pattern, 3 when the pack cannot be read or the output
// cannot be written. Not an installer: the file holds no AWS configuration.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "pack/pack.hpp"
#include "scan/compiled_pack.hpp"

namespace cwlf::cli {

namespace {

struct CompileArgs {
  std::string pack;
  std::string output;
  std::vector<std::string> params;
};

int RunCompile(const CompileArgs& args) {
  std::string text;
  if (args.pack == "builtin") {
    text = std::string(pack::BuiltinPackText());
  } else {
    std::ifstream in(args.pack, std::ios::binary);
    std::ostringstream buffer;
    if (in) buffer << in.rdbuf();
    if (!in || in.bad()) {
      std::cerr << fmt::format("cwlf compile: {}: cannot read the pack file\n", args.pack);
      return 3;
    }
    text = buffer.str();
  }
  if (scan::IsCompiledPack(text)) {
    std::cerr << fmt::format("cwlf compile: {}: already a compiled pack\n", args.pack);
    return 2;
  }
  auto compiled = scan::CompilePack(text, args.pack, args.params);
  if (!compiled) {
    for (const pack::Problem& p : compiled.error()) std::cerr << p.Render();
    std::cerr << fmt::format("cwlf compile: {}: {} problem{}; nothing written\n", args.pack,
                             compiled.error().size(), compiled.error().size() == 1 ? "" : "s");
    return 2;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out.write(compiled->data(), static_cast<std::streamsize>(compiled->size()));
  out.close();
  if (!out) {
    std::cerr << fmt::format("cwlf compile: {}: cannot write\n", args.output);
    return 3;
  }
  auto loaded = scan::LoadCompiledPack(*compiled, args.output, {});
  if (!loaded) {  // never expected: what was written must load
    for (const pack::Problem& p : loaded.error()) std::cerr << p.Render();
    return 2;
  }
  std::cerr << fmt::format("cwlf compile: {}: {} rules ({} with a filterPattern) into {} ({} bytes); {}\n",
                           args.pack, loaded->pack.rules.size(), loaded->rule_set.size(), args.output,
                           compiled->size(), loaded->rule_set.DispatchSummary());
  return 0;
}

}  // namespace

Runner AddCompile(CLI::App& app) {
  auto* cmd = app.add_subcommand("compile", "compile a rule pack's filter patterns into one file for cwlf scan");
  auto args = std::make_shared<CompileArgs>();
  cmd->add_option("pack", args->pack, "a pack file, or builtin")->required();
  cmd->add_option("-o,--output", args->output, "the compiled pack to write (FILE.cwlfc)")->required();
  cmd->add_option("--param", args->params,
                  "override a pack parameter: NAME=VALUE; lists as a,b,c or a JSON array (repeatable)")
      ->allow_extra_args(false);
  return [args]() { return RunCompile(*args); };
}

}  // namespace cwlf::cli
