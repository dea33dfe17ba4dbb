// The compiled-pack container (see compiled_pack.hpp). Layout: "CWLFPACK",
// then length-prefixed fields, little-endian: u32 version, the pack's origin
// and JSON text, the overrides, a hash of the expanded filter patterns in
// rule order, and the RuleSet image (which carries its own checks).
#include "scan/compiled_pack.hpp"

#include <fmt/format.h>

#include <cstring>

#include "scan/scanner.hpp"

namespace cwlf::scan {

namespace {

constexpr char kMagic[8] = {'C', 'W', 'L', 'F', 'P', 'A', 'C', 'K'};
constexpr uint32_t kVersion = 1;

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutStr(std::string& out, std::string_view s) {
  PutU64(out, s.size());
  out.append(s);
}

struct Cursor {
  std::string_view in;
  size_t pos = 0;
  bool ok = true;
  uint64_t Int(int bytes) {
    if (!ok || in.size() - pos < static_cast<size_t>(bytes)) return ok = false, 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    pos += bytes;
    return v;
  }
  std::string_view Str() {
    const uint64_t n = Int(8);
    if (!ok || in.size() - pos < n) return ok = false, std::string_view();
    const std::string_view s = in.substr(pos, n);
    pos += n;
    return s;
  }
};

// FNV-1a over the expanded filter patterns, each followed by a NUL.
uint64_t PatternsHash(const pack::Pack& pack) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const pack::Rule& rule : pack.rules) {
    if (!rule.has_filter_pattern) continue;
    for (const char c : rule.filter_pattern + '\0') h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
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
  std::string out(kMagic, sizeof kMagic);
  PutU32(out, kVersion);
  PutStr(out, origin);
  PutStr(out, pack_text);
  PutU32(out, static_cast<uint32_t>(overrides.size()));
  for (const std::string& o : overrides) PutStr(out, o);
  PutU64(out, PatternsHash(*pack));
  PutStr(out, set->Serialize());
  return out;
}

std::expected<CompiledPack, pack::Problems> LoadCompiledPack(std::string_view bytes, std::string_view origin,
                                                             pack::LoadOptions options) {
  if (!IsCompiledPack(bytes)) return std::unexpected(Problem(origin, "not a compiled pack (no CWLFPACK magic)"));
  Cursor c{bytes.substr(sizeof kMagic)};
  const uint32_t version = static_cast<uint32_t>(c.Int(4));
  if (c.ok && version != kVersion)
    return std::unexpected(Problem(origin, fmt::format("compiled pack version {}, this cwlf reads {}; compile the "
                                                       "pack again", version, kVersion)));
  const std::string_view pack_origin = c.Str();
  const std::string_view text = c.Str();
  const uint32_t count = static_cast<uint32_t>(c.Int(4));
  std::vector<std::string> overrides;
  for (uint32_t i = 0; i < count && c.ok; ++i) overrides.emplace_back(c.Str());
  const uint64_t hash = c.Int(8);
  const std::string_view image = c.Str();
  if (!c.ok || c.pos != c.in.size()) return std::unexpected(Problem(origin, "the compiled pack is cut or damaged"));
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
