// Compiled packs (`cwlf compile PACK -o FILE.cwlfc`, `cwlf scan --pack
// FILE.cwlfc`): the pack's JSON text and parameter overrides, for rule names,
// metrics and alarms, beside the serialized RuleSet of its filter patterns,
// so a scan starts without compiling a pattern. Not a pack format of its own:
// the JSON inside is the pack as written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cwlf/rule_set.hpp"
#include "pack/pack.hpp"

namespace cwlf::scan {

// True when `bytes` starts like a compiled pack.
bool IsCompiledPack(std::string_view bytes);

// Loads and compiles the pack (with `overrides`) and returns the file's bytes.
std::expected<std::string, pack::Problems> CompilePack(std::string_view pack_text, std::string_view origin,
                                                       const std::vector<std::string>& overrides);

struct CompiledPack {
  pack::Pack pack;  // patterns expanded; programs compiled only when asked
  RuleSet rule_set;  // ids: positions among the rules with a filterPattern
};

// Reads a compiled pack. The pack is loaded again from its JSON (compiling
// filter patterns only when options.compile_filter_patterns) and must give
// the same expanded patterns the image was made from.
std::expected<CompiledPack, pack::Problems> LoadCompiledPack(std::string_view bytes, std::string_view origin,
                                                             pack::LoadOptions options);

}  // namespace cwlf::scan
