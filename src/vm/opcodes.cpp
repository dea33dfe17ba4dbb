// Name, format and synopsis tables, generated from opcodes.def.
#include "vm/inst.hpp"

namespace cwlf::vm {

namespace {
struct OpInfo {
  std::string_view name;
  Format format;
  std::string_view synopsis;
};
constexpr OpInfo kOps[] = {
#define CWLF_OP(name, format, synopsis) {#name, Format::format, synopsis},
#include "vm/opcodes.def"
#undef CWLF_OP
};
}  // namespace

std::string_view OpName(Op op) {
  return op < Op::kCount ? kOps[static_cast<size_t>(op)].name : "?";
}
Format OpFormat(Op op) {
  return op < Op::kCount ? kOps[static_cast<size_t>(op)].format : Format::kNone;
}
std::string_view OpSynopsis(Op op) {
  return op < Op::kCount ? kOps[static_cast<size_t>(op)].synopsis : "";
}

}  // namespace cwlf::vm
