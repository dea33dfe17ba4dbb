// RuleSet::Serialize / Deserialize: a RuleSet as a versioned binary image, so
// a pack compiled once (`cwlf compile`) loads without parsing or compiling.
//
// Layout (little-endian): "CWLFRSI\0", u32 format version, u64 hash of
// src/vm/opcodes.def (taken by CMake at configure time), u32 instruction
// size, u64 payload size, u64 FNV-1a of the payload, then the payload: the
// options, rule ids, global slots, each rule's code and constant pools
// (globs and regexes as source text, compiled again), the dispatch table,
// the captures and the prefilter's inputs with its Vectorscan database.
// Loading trusts nothing: every read is bounds-checked, every index range-
// checked, and every program passes the verifier against the global slots.
// Not a general serialization of Programs (no IR, no source map, no Explain).
#include <fmt/format.h>
#include <re2/re2.h>

#include <cstring>
#include <set>

#include "cwlf/rule_set.hpp"
#include "rule_set/rule_set_image.hpp"
#include "source/make_diagnostic.hpp"
#include "util/byte_io.hpp"
#include "vm/extract.hpp"
#include "vm/verify.hpp"

#ifndef CWLF_OPCODES_HASH
#error "CWLF_OPCODES_HASH comes from src/CMakeLists.txt (a hash of vm/opcodes.def)"
#endif

namespace cwlf {

namespace {

constexpr char kMagic[8] = {'C', 'W', 'L', 'F', 'R', 'S', 'I', '\0'};
constexpr uint32_t kFormatVersion = 1;
constexpr uint64_t kOpcodesHash = CWLF_OPCODES_HASH;
constexpr size_t kHeaderSize = 8 + 4 + 8 + 4 + 8 + 8;


using Writer = util::ByteWriter;
using Reader = util::ByteReader;

void WriteOperand(Writer& w, const ir::Operand& op) {
  w.Int(static_cast<uint8_t>(op.kind));
  w.Int(op.index);
  w.Int(static_cast<uint32_t>(op.path.size()));
  for (const ir::PathStep& step : op.path) {
    w.Int(static_cast<uint8_t>(step.kind));
    w.Str(step.key);
    w.Int(step.index);
  }
}

ir::Operand ReadOperand(Reader& r) {
  ir::Operand op;
  const uint8_t kind = r.Int<uint8_t>();
  if (kind > static_cast<uint8_t>(ir::OperandKind::kRest)) r.Fail("an operand of unknown kind");
  op.kind = static_cast<ir::OperandKind>(kind);
  op.index = r.Int<int32_t>();
  op.path.resize(r.Count(1 + 4 + 4));
  for (ir::PathStep& step : op.path) {
    const uint8_t k = r.Int<uint8_t>();
    if (k > ir::PathStep::kAuto) r.Fail("a path step of unknown kind");
    step.kind = static_cast<ir::PathStep::Kind>(k);
    step.key = r.Str();
    step.index = r.Int<uint32_t>();
  }
  return op;
}

// The RE2 options the compilers use (sema/lower.cpp, insights/lower.cpp),
// written out so that a regex compiles again exactly as it did.
void WriteRegex(Writer& w, const re2::RE2& re) {
  const RE2::Options& o = re.options();
  w.Str(re.pattern());
  w.Int(static_cast<uint8_t>(o.encoding()));
  const uint16_t bits = static_cast<uint16_t>(o.posix_syntax() | o.longest_match() << 1 | o.literal() << 2 |
                                              o.never_nl() << 3 | o.dot_nl() << 4 | o.never_capture() << 5 |
                                              o.case_sensitive() << 6 | o.perl_classes() << 7 |
                                              o.word_boundary() << 8 | o.one_line() << 9);
  w.Int(bits);
  w.Int(o.max_mem());
}

std::shared_ptr<const re2::RE2> ReadRegex(Reader& r) {
  const std::string pattern = r.Str();
  const uint8_t encoding = r.Int<uint8_t>();
  const uint16_t bits = r.Int<uint16_t>();
  const int64_t max_mem = r.Int<int64_t>();
  if (!r.ok()) return nullptr;
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(encoding == RE2::Options::EncodingLatin1 ? RE2::Options::EncodingLatin1 : RE2::Options::EncodingUTF8);
  o.set_posix_syntax(bits & 1);
  o.set_longest_match(bits >> 1 & 1);
  o.set_literal(bits >> 2 & 1);
  o.set_never_nl(bits >> 3 & 1);
  o.set_dot_nl(bits >> 4 & 1);
  o.set_never_capture(bits >> 5 & 1);
  o.set_case_sensitive(bits >> 6 & 1);
  o.set_perl_classes(bits >> 7 & 1);
  o.set_word_boundary(bits >> 8 & 1);
  o.set_one_line(bits >> 9 & 1);
  o.set_max_mem(max_mem);
  auto re = std::make_shared<const re2::RE2>(pattern, o);
  if (!re->ok()) {
    r.Fail(fmt::format("a regex does not compile: {}", re->error()));
    return nullptr;
  }
  return re;
}

void WriteRule(Writer& w, const detail::Image& image) {
  w.Int(static_cast<uint8_t>(image.options.glob_mode));
  w.Int(image.entry);
  w.Int(static_cast<uint32_t>(image.code.size()));
  for (const vm::Inst& in : image.code) {
    w.Int(static_cast<uint8_t>(in.op));
    w.Int(in.flags);
    w.Int(in.slot);
    w.Int(in.k);
    w.Int(in.jt);
    w.Int(in.jf);
  }
  w.Int(static_cast<uint32_t>(image.strings.size()));
  for (const std::string& s : image.strings) w.Str(s);
  w.Int(static_cast<uint32_t>(image.globs.size()));
  for (const ir::Glob& g : image.globs) w.Str(g.source());
  w.Int(static_cast<uint32_t>(image.numbers.size()));
  for (const detail::NumberConstant& n : image.numbers) {
    w.Double(n.value);
    w.Str(n.text);
    w.Int(static_cast<uint8_t>(n.numeric));
  }
  w.Int(static_cast<uint32_t>(image.regexes.size()));
  for (const auto& re : image.regexes) WriteRegex(w, *re);
}

std::shared_ptr<detail::Image> ReadRule(Reader& r, const std::vector<ir::Operand>& slots) {
  auto image = std::make_shared<detail::Image>();
  const uint8_t glob_mode = r.Int<uint8_t>();
  if (glob_mode > static_cast<uint8_t>(GlobMode::kEdgesOnly)) r.Fail("an unknown glob mode");
  image->options.glob_mode = static_cast<GlobMode>(glob_mode);
  image->entry = r.Int<uint16_t>();
  image->code.resize(r.Count(12));
  for (vm::Inst& in : image->code) {
    const uint8_t op = r.Int<uint8_t>();
    in.op = op < static_cast<uint8_t>(vm::Op::kCount) ? static_cast<vm::Op>(op) : vm::Op::kCount;
    in.flags = r.Int<uint8_t>();
    in.slot = r.Int<uint16_t>();
    in.k = r.Int<uint32_t>();
    in.jt = r.Int<uint16_t>();
    in.jf = r.Int<uint16_t>();
  }
  image->spans.resize(image->code.size());  // no source map in an image
  image->strings.resize(r.Count(4));
  for (std::string& s : image->strings) s = r.Str();
  const uint32_t globs = r.Count(4);
  for (uint32_t i = 0; i < globs && r.ok(); ++i) image->globs.push_back(ir::Glob::Compile(r.Str(), image->options.glob_mode));
  image->numbers.resize(r.Count(8 + 4 + 1));
  for (detail::NumberConstant& n : image->numbers) {
    n.value = r.Double();
    n.text = r.Str();
    n.numeric = r.Int<uint8_t>() != 0;
  }
  const uint32_t regexes = r.Count(4 + 1 + 2 + 8);
  for (uint32_t i = 0; i < regexes && r.ok(); ++i) image->regexes.push_back(ReadRegex(r));
  if (!r.ok()) return nullptr;
  image->slots = slots;
  if (const std::string problem = vm::Verify(*image); !problem.empty()) {
    r.Fail("a program fails verification: " + problem);
    return nullptr;
  }
  image->slots.clear();  // the slots live in the extraction image
  return image;
}

Error BadImage(std::string why) {
  return Error(MakeError(ErrorCode::kBadInput, {0, 0}, "not a usable rule-set image: " + std::move(why), ""));
}

}  // namespace

std::string RuleSet::Serialize() const {
  const detail::RuleSetImage& im = *image_;
  Writer w;
  w.Int(static_cast<uint8_t>(im.options.equality_dispatch));
  w.Int(static_cast<uint8_t>(im.options.prefilter));
  w.List(im.ids);
  w.Int(static_cast<uint8_t>(im.extraction.needs_json));
  w.Int(static_cast<uint8_t>(im.extraction.needs_fields));
  w.Int(static_cast<uint32_t>(im.extraction.slots.size()));
  for (const ir::Operand& op : im.extraction.slots) WriteOperand(w, op);
  for (const auto& rule : im.rules) WriteRule(w, *rule);
  w.Int(static_cast<int32_t>(im.dispatch_slot));
  w.Int(static_cast<uint32_t>(im.by_value.size()));
  std::set<std::string_view> values;  // sorted: the same set gives the same bytes
  for (const auto& [value, list] : im.by_value) values.insert(value);
  for (const std::string_view value : values) {
    w.Str(value);
    w.List(im.by_value.find(value)->second);
  }
  w.List(im.always);
  w.Str(im.raw_key);
  w.Int(static_cast<uint32_t>(im.captures.size()));
  for (const uint16_t c : im.captures) w.Int(c);
  w.Int(static_cast<uint8_t>(im.prefilter != nullptr));
  if (im.prefilter) {
    const detail::Prefilter& p = *im.prefilter;
    w.Str(p.raw_key());
    for (const detail::Prefilter::Role role : p.roles()) w.Int(static_cast<uint8_t>(role));
    for (const auto& groups : p.groups()) {
      w.Int(static_cast<uint32_t>(groups.size()));
      for (const detail::LiteralGroup& g : groups) {
        w.Int(static_cast<uint32_t>(g.literals.size()));
        for (const std::string& s : g.literals) w.Str(s);
        w.Int(static_cast<uint32_t>(g.regexes.size()));
        for (const auto& re : g.regexes) WriteRegex(w, *re);
      }
    }
    w.Str(p.SerializedDatabase());
  }
  const std::string& payload = w.out();
  Writer header;
  header.out().append(kMagic, sizeof kMagic);
  header.Int(kFormatVersion);
  header.Int(kOpcodesHash);
  header.Int(static_cast<uint32_t>(sizeof(vm::Inst)));
  header.Int(static_cast<uint64_t>(payload.size()));
  header.Int(util::Fnv1a(payload));
  return header.out() + payload;
}

Result<RuleSet> RuleSet::Deserialize(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return std::unexpected(BadImage("it does not start with the rule-set magic"));
  Reader header(bytes.substr(sizeof kMagic, kHeaderSize - sizeof kMagic));
  const uint32_t version = header.Int<uint32_t>();
  const uint64_t opcodes = header.Int<uint64_t>();
  const uint32_t inst_size = header.Int<uint32_t>();
  const uint64_t size = header.Int<uint64_t>();
  const uint64_t checksum = header.Int<uint64_t>();
  if (version != kFormatVersion)
    return std::unexpected(BadImage(fmt::format("format version {}, this cwlf reads {}", version, kFormatVersion)));
  if (opcodes != kOpcodesHash || inst_size != sizeof(vm::Inst))
    return std::unexpected(BadImage("it was made by a cwlf with another instruction set; compile the pack again"));
  const std::string_view payload = bytes.substr(kHeaderSize);
  if (size != payload.size() || util::Fnv1a(payload) != checksum)
    return std::unexpected(BadImage("its checksum does not match (damaged or cut)"));

  Reader r(payload);
  auto im = std::make_shared<detail::RuleSetImage>();
  im->options.equality_dispatch = r.Int<uint8_t>() != 0;
  im->options.prefilter = r.Int<uint8_t>() != 0;
  im->ids = r.List();
  if (std::set<RuleId>(im->ids.begin(), im->ids.end()).size() != im->ids.size()) r.Fail("duplicate rule ids");
  detail::Image& ex = im->extraction;
  ex.needs_json = r.Int<uint8_t>() != 0;
  ex.needs_fields = r.Int<uint8_t>() != 0;
  const uint32_t slots = r.Count(1 + 4 + 4);
  if (slots > 0xFFFF) r.Fail("too many slots");
  for (uint32_t s = 0; s < slots && r.ok(); ++s) ex.slots.push_back(ReadOperand(r));
  for (size_t i = 0; i < im->ids.size() && r.ok(); ++i) {
    auto rule = ReadRule(r, ex.slots);
    if (rule) im->rules.push_back(std::move(rule));
  }
  const size_t rules = im->ids.size();
  auto check_list = [&](const std::vector<uint32_t>& list) {
    for (const uint32_t x : list)
      if (x >= rules) r.Fail("a rule index is out of range");
  };
  im->dispatch_slot = r.Int<int32_t>();
  if (im->dispatch_slot < -1 || im->dispatch_slot >= static_cast<int64_t>(ex.slots.size()))
    r.Fail("the dispatch slot is out of range");
  const uint32_t values = r.Count(8);
  for (uint32_t i = 0; i < values && r.ok(); ++i) {
    std::string value = r.Str();
    std::vector<uint32_t> list = r.List();
    check_list(list);
    im->by_value.emplace(std::move(value), std::move(list));
  }
  im->always = r.List();
  check_list(im->always);
  im->raw_key = r.Str();
  im->captures.resize(r.Count(2));
  for (uint16_t& c : im->captures) {
    c = r.Int<uint16_t>();
    if (c >= ex.slots.size()) r.Fail("a capture slot is out of range");
  }
  if (r.Int<uint8_t>() != 0 && r.ok()) {
    std::string raw_key = r.Str();
    std::vector<detail::Prefilter::Role> roles(rules);
    for (auto& role : roles) {
      const uint8_t v = r.Int<uint8_t>();
      if (v > static_cast<uint8_t>(detail::Prefilter::Role::kAlways)) r.Fail("an unknown prefilter role");
      role = static_cast<detail::Prefilter::Role>(v);
    }
    std::vector<std::vector<detail::LiteralGroup>> groups(rules);
    for (auto& list : groups) {
      list.resize(r.Count(8));
      for (detail::LiteralGroup& g : list) {
        g.literals.resize(r.Count(4));
        for (std::string& s : g.literals) s = r.Str();
        const uint32_t regexes = r.Count(4 + 1 + 2 + 8);
        for (uint32_t i = 0; i < regexes && r.ok(); ++i) g.regexes.push_back(ReadRegex(r));
      }
    }
    const std::string database = r.Str();
    if (r.ok()) {
      std::string why;
      im->prefilter = detail::Prefilter::Build(roles, groups, std::move(raw_key), &why, database);
      if (!im->prefilter) r.Fail("the prefilter does not load: " + why);
    }
  }
  if (r.ok() && !r.done()) r.Fail("bytes after the end");
  if (!r.ok()) return std::unexpected(BadImage(r.error()));
  ex.trie = vm::PathTrie::Build(ex.slots);
  return RuleSet(std::move(im));
}

}  // namespace cwlf
