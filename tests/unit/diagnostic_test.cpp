// The caret renderer and line/column computation.
#include <gtest/gtest.h>

#include "cwlf/cwlf.hpp"

namespace cwlf {
namespace {

TEST(Diagnostic, LocationCountsCodePoints) {
  EXPECT_EQ(LocateOffset("abc", 0).column, 1u);
  EXPECT_EQ(LocateOffset("abc", 2).column, 3u);
  const std::string s = "\xC3\xA9x";  // "éx": x is column 2
  EXPECT_EQ(LocateOffset(s, 2).column, 2u);
  EXPECT_EQ(LocateOffset("a\nbc", 3).line, 2u);
  EXPECT_EQ(LocateOffset("a\nbc", 3).column, 2u);
}

TEST(Diagnostic, RenderDrawsCaretAndTildes) {
  auto p = Program::Compile("{ $.a = 1 && $.b > \"x\" }");
  ASSERT_FALSE(p.has_value());
  const Diagnostic& d = p.error().primary();
  EXPECT_EQ(d.code, ErrorCode::kTypeMismatch);
  EXPECT_EQ(d.location.line, 1u);
  EXPECT_EQ(d.location.column, 20u);
  EXPECT_EQ(p.error().Render(),
            "pattern:1:20: error: '>' needs an unquoted number on its right; AWS rejects "
            "ordering comparisons with strings\n"
            "  { $.a = 1 && $.b > \"x\" }\n"
            "                     ^~~\n");
}

TEST(Diagnostic, EveryErrorCodeHasAName) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnexpectedToken), "unexpected_token");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kBadInput), "bad_input");
}

}  // namespace
}  // namespace cwlf
