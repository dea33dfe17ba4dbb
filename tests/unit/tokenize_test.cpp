// The space-delimited field splitter (semantics.md R-D1..R-D3).
#include <gtest/gtest.h>

#include "vm/extract.hpp"

namespace cwlf::vm {
namespace {

std::vector<std::string> Fields(std::string_view m) {
  std::vector<Token> tokens;
  Tokenize(m, tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) out.emplace_back(m.substr(t.begin, t.end - t.begin));
  return out;
}

TEST(Tokenize, ApacheLine) {
  EXPECT_EQ(Fields("127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /a HTTP/1.0\" 200 1534"),
            (std::vector<std::string>{"127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700",
                                      "GET /a HTTP/1.0", "200", "1534"}));
}

TEST(Tokenize, RunsOfSpacesAndTabs) {
  EXPECT_EQ(Fields("  a \t\tb  "), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Fields("").empty());
  EXPECT_TRUE(Fields(" \t ").empty());
}

TEST(Tokenize, UnterminatedQuoteIsAPlainField) {
  EXPECT_EQ(Fields("ERROR \"unterminated words"),
            (std::vector<std::string>{"ERROR", "\"unterminated", "words"}));
}

TEST(Tokenize, RestTakesRawText) {
  std::vector<Token> tokens;
  const std::string_view m = "a b \"c d\" e";
  Tokenize(m, tokens);
  ir::Operand rest{ir::OperandKind::kRest, {}, 1};
  std::string_view v;
  ASSERT_TRUE(FieldValue(m, tokens, rest, &v));
  EXPECT_EQ(v, "b \"c d\" e");
  ir::Operand last{ir::OperandKind::kField, {}, -1};
  ASSERT_TRUE(FieldValue(m, tokens, last, &v));
  EXPECT_EQ(v, "e");
  ir::Operand missing{ir::OperandKind::kField, {}, 9};
  EXPECT_FALSE(FieldValue(m, tokens, missing, &v));
}

}  // namespace
}  // namespace cwlf::vm
