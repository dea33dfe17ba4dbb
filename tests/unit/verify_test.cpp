// The verifier rejects malformed images: backward jumps, bad slots, bad pools.
#include <gtest/gtest.h>

#include "cwlf/cwlf.hpp"
#include "vm/image.hpp"
#include "vm/verify.hpp"

namespace cwlf {
namespace {

detail::Image Compiled(const char* pattern) {
  return OrThrow(Program::Compile(pattern)).image();
}

TEST(Verify, CompiledProgramsPass) {
  for (const char* p : {"", "ERROR", "{ $.a = 1 || ($.b = \"x*\" && $.c NOT EXISTS) }", "[a, ..., b > 3]",
                        "%ab+c%", "?A ?B"}) {
    EXPECT_EQ(vm::Verify(Compiled(p)), "") << p;
  }
}

TEST(Verify, RejectsBackwardJump) {
  detail::Image image = Compiled("{ $.a = 1 && $.b = 2 }");
  ASSERT_GT(image.code.size(), 3u);
  image.code[3].jt = 2;
  EXPECT_NE(vm::Verify(image), "");
}

TEST(Verify, RejectsBadSlotAndConstant) {
  detail::Image image = Compiled("{ $.a = \"x\" }");
  detail::Image bad_slot = image;
  for (auto& inst : bad_slot.code)
    if (inst.op == vm::Op::STR_EQ) inst.slot = 99;
  EXPECT_NE(vm::Verify(bad_slot), "");
  detail::Image bad_k = image;
  for (auto& inst : bad_k.code)
    if (inst.op == vm::Op::STR_EQ) inst.k = 99;
  EXPECT_NE(vm::Verify(bad_k), "");
}

TEST(Verify, RejectsTerminalInTheMiddleAndBadEntry) {
  detail::Image image = Compiled("ERROR WARN");
  detail::Image terminal = image;
  terminal.code[2].op = vm::Op::ACCEPT;
  EXPECT_NE(vm::Verify(terminal), "");
  detail::Image entry = image;
  entry.entry = 200;
  EXPECT_NE(vm::Verify(entry), "");
}

}  // namespace
}  // namespace cwlf
