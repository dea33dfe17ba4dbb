// Explain(Stage::kBytecode): the disassembler.
#pragma once

#include <string>

#include "vm/image.hpp"

namespace cwlf::vm {

std::string Disassemble(const detail::Image& image);

}  // namespace cwlf::vm
