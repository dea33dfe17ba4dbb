// The instruction layout and the opcode enum generated from opcodes.def.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace cwlf::vm {

enum class Op : uint8_t {
#define CWLF_OP(name, format, synopsis) name,
#include "vm/opcodes.def"
#undef CWLF_OP
  kCount
};

// Which pool an opcode's k indexes.
enum class Format : uint8_t { kNone, kCount, kString, kGlob, kNumber, kRegex };

inline constexpr uint8_t kNegate = 1;         // flags: '!=' semantics (opcodes.def)
inline constexpr uint8_t kStringLiteral = 2;  // flags: VAL_* compares with a string literal

struct Inst {
  Op op = Op::REJECT;
  uint8_t flags = 0;
  uint16_t slot = 0;
  uint32_t k = 0;
  uint16_t jt = 0;
  uint16_t jf = 0;
};
static_assert(sizeof(Inst) == 12, "instructions are 12 bytes");
static_assert(std::is_trivially_copyable_v<Inst>, "instructions are plain data");

inline constexpr uint16_t kRejectPc = 0;
inline constexpr uint16_t kAcceptPc = 1;

std::string_view OpName(Op op);
Format OpFormat(Op op);
std::string_view OpSynopsis(Op op);

}  // namespace cwlf::vm
