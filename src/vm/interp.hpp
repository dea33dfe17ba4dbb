// The interpreter: runs a verified image over an extracted event. noexcept;
// trusts the verifier (no operand checks in the loop).
#pragma once

#include "vm/extract.hpp"
#include "vm/image.hpp"

namespace cwlf::vm {

bool Run(const detail::Image& image, const Scratch& scratch) noexcept;

}  // namespace cwlf::vm
