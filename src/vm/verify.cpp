// Checks: terminals at pc 0/1, entry in range, known opcodes, jumps forward or
// to a terminal (so every program terminates), slots and pool indexes in range.
#include "vm/verify.hpp"

#include <fmt/format.h>

namespace cwlf::vm {

namespace {

size_t PoolSize(const detail::Image& image, Format format) {
  switch (format) {
    case Format::kString: return image.strings.size();
    case Format::kGlob: return image.globs.size();
    case Format::kNumber: return image.numbers.size();
    case Format::kRegex: return image.regexes.size();
    case Format::kNone:
    case Format::kCount: return 0;
  }
  return 0;
}

bool UsesSlot(Op op) {
  switch (op) {
    case Op::EXISTS: case Op::IS_NULL: case Op::IS_TRUE: case Op::IS_FALSE: case Op::STR_EQ:
    case Op::STR_PREFIX: case Op::STR_SUFFIX: case Op::STR_CONTAINS: case Op::STR_ANY:
    case Op::STR_GLOB: case Op::STR_REGEX: case Op::NUM_EQ: case Op::NUM_LT: case Op::NUM_LE:
    case Op::NUM_GT: case Op::NUM_GE: case Op::PRESENT: case Op::VAL_EQ: case Op::VAL_LT:
    case Op::VAL_LE: case Op::VAL_GT: case Op::VAL_GE:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string Verify(const detail::Image& image) {
  const auto& code = image.code;
  if (code.size() < 2 || code[kRejectPc].op != Op::REJECT || code[kAcceptPc].op != Op::ACCEPT)
    return "pc 0 must be REJECT and pc 1 ACCEPT";
  if (code.size() > 0xFFFF) return "too many instructions";
  if (image.spans.size() != code.size()) return "the source map does not cover every instruction";
  if (image.entry >= code.size()) return fmt::format("entry {} is out of range", image.entry);
  for (size_t pc = 2; pc < code.size(); ++pc) {
    const Inst& inst = code[pc];
    if (inst.op >= Op::kCount) return fmt::format("pc {}: unknown opcode {}", pc, static_cast<int>(inst.op));
    if (inst.op == Op::REJECT || inst.op == Op::ACCEPT)
      return fmt::format("pc {}: {} may only stand at pc 0 or 1", pc, OpName(inst.op));
    for (uint16_t target : {inst.jt, inst.jf}) {
      if (target > kAcceptPc && (target <= pc || target >= code.size()))
        return fmt::format("pc {}: jump to {} is not forward and in range", pc, target);
    }
    if (UsesSlot(inst.op) && inst.slot >= image.slots.size())
      return fmt::format("pc {}: slot {} is out of range", pc, inst.slot);
    const Format format = OpFormat(inst.op);
    if (format != Format::kNone && format != Format::kCount && inst.k >= PoolSize(image, format))
      return fmt::format("pc {}: constant {} is out of range", pc, inst.k);
    if (format == Format::kRegex && image.regexes[inst.k] == nullptr)
      return fmt::format("pc {}: regex {} is missing", pc, inst.k);
  }
  return {};
}

}  // namespace cwlf::vm
