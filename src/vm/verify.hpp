// The verifier: every image passes it before it runs (after codegen and after
// deserialization), so the interpreter can trust operands without checks.
#pragma once

#include <string>

#include "vm/image.hpp"

namespace cwlf::vm {

// Empty when the image is well formed; otherwise what is wrong, with the pc.
std::string Verify(const detail::Image& image);

}  // namespace cwlf::vm
