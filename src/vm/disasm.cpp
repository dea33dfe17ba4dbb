// The EXPLAIN-style listing of an image: one row per instruction with its
// operands, a synopsis from opcodes.def and the source span it came from.
#include <fmt/format.h>
#include <re2/re2.h>

#include "util/quote.hpp"
#include "vm/disasm.hpp"

namespace cwlf::vm {

namespace {


std::string ConstantText(const detail::Image& image, const Inst& inst) {
  switch (OpFormat(inst.op)) {
    case Format::kCount: return std::to_string(inst.k);
    case Format::kString: return util::Quote(image.strings[inst.k]);
    case Format::kGlob: return util::Quote(image.globs[inst.k].source());
    case Format::kNumber: return image.numbers[inst.k].text;
    case Format::kRegex: return "%" + image.regexes[inst.k]->pattern() + "%";
    case Format::kNone: return "";
  }
  return "";
}

std::string Synopsis(const detail::Image& image, const Inst& inst) {
  std::string out(OpSynopsis(inst.op));
  auto replace = [&out](std::string_view what, const std::string& with) {
    const size_t at = out.find(what);
    if (at != std::string::npos) out.replace(at, what.size(), with);
  };
  if (inst.slot < image.slots.size()) replace("{s}", ir::OperandText(image.slots[inst.slot]));
  replace("{k}", ConstantText(image, inst));
  if (inst.flags & kNegate) out = "(scalar and not) " + out;
  return out;
}

}  // namespace

std::string Disassemble(const detail::Image& image) {
  std::string out = fmt::format("{:>4}  {:<15} {:>4} {:>4} {:>4} {:>4}  {:<44} {}\n", "addr", "opcode",
                                "slot", "k", "jt", "jf", "synopsis", "source");
  for (size_t pc = 0; pc < image.code.size(); ++pc) {
    const Inst& inst = image.code[pc];
    const bool terminal = pc < 2;
    const SourceSpan span = image.spans[pc];
    std::string source;
    if (!terminal) {
      const SourceLocation b = LocateOffset(image.pattern, span.begin);
      const SourceLocation e = LocateOffset(image.pattern, span.end);
      std::string text = image.pattern.substr(span.begin, span.end - span.begin);
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      source = fmt::format("{}:{}-{}:{}  {}", b.line, b.column, e.line, e.column, text);
    }
    std::string jumps = terminal ? fmt::format("{:>4} {:>4}", "", "")
                      : inst.op == Op::JUMP ? fmt::format("{:>4} {:>4}", inst.jt, "")
                                            : fmt::format("{:>4} {:>4}", inst.jt, inst.jf);
    out += fmt::format("{:>4}  {:<15} {:>4} {:>4} {}  {:<44} {}", pc, OpName(inst.op),
                       terminal ? "" : std::to_string(inst.slot),
                       terminal || OpFormat(inst.op) == Format::kNone ? "" : std::to_string(inst.k),
                       jumps, Synopsis(image, inst), source);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  out += fmt::format("entry {}\n", image.entry);
  return out;
}

}  // namespace cwlf::vm
