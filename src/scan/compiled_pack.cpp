// The compiled-pack container (see compiled_pack.hpp). Layout: "CWLFPACK",
// then, little-endian (util/byte_io.hpp): u32 version, the pack's origin and
// JSON text, the overrides, a hash of the expanded filter patterns in rule
// order, and the RuleSet image (which carries its own checks).
#include "scan/compiled_pack.hpp"

#include <fmt/format.h>

#include <cstring>

#include "scan/scanner.hpp"
#include "util/byte_io.hpp"

namespace cwlf::scan {

namespace {

constexpr char kMagic[8] = {'C', 'W', 'L', 'F', 'P', 'A', 'C', 'K'};
constexpr uint32_t kVersion = 1;

// FNV-1a over the expanded filter patterns, each followed by a NUL.
uint64_t PatternsHash(const pack::Pack& pack) {
  uint64_t h = util::Fnv1a("");
  for (const pack::Rule& rule : pack.rules)
    if (rule.has_filter_pattern) h = util::Fnv1a(std::string_view(rule.filter_pattern.c_str(), rule.filter_pattern.size() + 1), h);
  return h;
}

pack::Problems Problem(std::string_view origin, std::string message) {
  pack::Problem p;
  p.diagnostic.severity = Severity::kError;
  p.diagnostic.code = ErrorCode::kBadInput;
  p.diagnostic.message = std::move(message);
  p.diagnostic.origin = std::string(origin);
  return {std::move(p)};
}

std::vector<const pack::Rule*> FilterRules(const pack::Pack& pack) {
  std::vector<const pack::Rule*> rules;
  for (const pack::Rule& rule : pack.rules)
    if (rule.has_filter_pattern) rules.push_back(&rule);
  return rules;
}

}  // namespace

bool IsCompiledPack(std::string_view bytes) {
  return bytes.size() >= sizeof kMagic && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
}

std::expected<std::string, pack::Problems> CompilePack(std::string_view pack_text, std::string_view origin,
                                                       const std::vector<std::string>& overrides) {
  pack::LoadOptions options;
  options.overrides = overrides;
  auto pack = pack::LoadPack(pack_text, origin, options);
  if (!pack) return std::unexpected(std::move(pack.error()));
  auto set = BuildPackRuleSet(FilterRules(*pack));
  if (!set) {
    pack::Problems problems;
    for (const Diagnostic& d : set.error().all()) problems.push_back({d, ""});
    return std::unexpected(std::move(problems));
  }
  util::ByteWriter w;
  w.out().append(kMagic, sizeof kMagic);
  w.Int(kVersion);
  w.Str(origin);
  w.Str(pack_text);
  w.Int(static_cast<uint32_t>(overrides.size()));
  for (const std::string& o : overrides) w.Str(o);
  w.Int(PatternsHash(*pack));
  w.Str(set->Serialize());
  return std::move(w.out());
}

std::expected<CompiledPack, pack::Problems> LoadCompiledPack(std::string_view bytes, std::string_view origin,
                                                             pack::LoadOptions options) {
  if (!IsCompiledPack(bytes)) return std::unexpected(Problem(origin, "not a compiled pack (no CWLFPACK magic)"));
  util::ByteReader r(bytes.substr(sizeof kMagic));
  const uint32_t version = r.Int<uint32_t>();
  if (r.ok() && version != kVersion)
    return std::unexpected(Problem(origin, fmt::format("compiled pack version {}, this cwlf reads {}; compile the "
                                                       "pack again", version, kVersion)));
  const std::string_view pack_origin = r.StrView();
  const std::string_view text = r.StrView();
  std::vector<std::string> overrides(r.Count(4));
  for (std::string& o : overrides) o = r.Str();
  const uint64_t hash = r.Int<uint64_t>();
  const std::string_view image = r.StrView();
  if (!r.ok() || !r.done()) return std::unexpected(Problem(origin, "the compiled pack is cut or damaged"));
  if (!options.overrides.empty())
    return std::unexpected(Problem(origin, "parameters were fixed when the pack was compiled; compile it again "
                                           "with --param instead"));
  options.overrides = std::move(overrides);
  auto pack = pack::LoadPack(text, pack_origin, options);
  if (!pack) return std::unexpected(std::move(pack.error()));
  if (PatternsHash(*pack) != hash)
    return std::unexpected(Problem(origin, "the rule-set image does not belong to the pack inside the file"));
  auto set = RuleSet::Deserialize(image);
  if (!set) return std::unexpected(Problem(origin, set.error().all().front().message));
  if (set->size() != FilterRules(*pack).size())
    return std::unexpected(Problem(origin, "the rule-set image does not belong to the pack inside the file"));
  pack->origin = std::string(origin);
  return CompiledPack{std::move(*pack), std::move(*set)};
}

}  // namespace cwlf::scan
