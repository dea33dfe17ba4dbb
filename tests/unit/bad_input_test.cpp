// Bad input never crashes: deep nesting, huge lines, NUL bytes, invalid UTF-8,
// in patterns and in events. Limits are those of CompileOptions / kMaxEventBytes.
#include <gtest/gtest.h>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"

namespace cwlf {
namespace {

// semantics: R-A4 (nesting limit)
TEST(BadInput, DeepPatternNestingIsALimitError) {
  std::string p = "{ " + std::string(400, '(') + "$.a = 1" + std::string(400, ')') + " }";
  auto r = Program::Compile(p);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().primary().code, ErrorCode::kLimitExceeded);
  CompileOptions big;
  big.max_pattern_bytes = 1 << 20;
  std::string deep = "{ " + std::string(10000, '(') + "$.a = 1" + std::string(10000, ')') + " }";
  auto r2 = Program::Compile(deep, big);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().primary().code, ErrorCode::kLimitExceeded);
}

// semantics: R-A3 (1024 characters)
TEST(BadInput, LengthLimitCountsCharacters) {
  EXPECT_TRUE(Program::Compile(std::string(1024, 'a')).has_value());
  auto r = Program::Compile(std::string(1025, 'a'));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().primary().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.error().primary().span.begin, 1024u);
}

TEST(BadInput, NulAndInvalidUtf8InPatterns) {
  EXPECT_FALSE(Program::Compile(std::string("ERR\0OR", 6)).has_value());
  auto r = Program::Compile("\"\xff\xfe\"");  // a quoted phrase of raw bytes is a substring test
  ASSERT_TRUE(r.has_value());
  Matcher m(*r);
  EXPECT_TRUE(m.Match("x\xff\xfey").matched);
}

TEST(BadInput, EventsDeeperThan1024AreNotJson) {
  // R-J11: an event nested deeper than 1024 levels is not JSON.
  Matcher m(OrThrow(Program::Compile("{ $.a NOT EXISTS }")));
  std::string deep = "{\"b\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_FALSE(m.Match(deep).matched);
  EXPECT_FALSE(reference::Evaluate(m.program(), deep).matched);
  std::string ok = "{\"b\":" + std::string(1000, '[') + std::string(1000, ']') + "}";
  EXPECT_TRUE(m.Match(ok).matched);
  EXPECT_TRUE(reference::Evaluate(m.program(), ok).matched);
  std::string broken = "{\"b\":" + std::string(10000, '[') + std::string(9999, ']') + "}";
  EXPECT_FALSE(m.Match(broken).matched);
  EXPECT_FALSE(reference::Evaluate(m.program(), broken).matched);
}

// semantics: R-A6 (event size), R-J1 (not JSON)
TEST(BadInput, HugeAndBinaryEvents) {
  Matcher terms(OrThrow(Program::Compile("needle")));
  std::string big(1 << 20, 'x');
  big += "needle";
  EXPECT_TRUE(terms.Match(big).matched);
  std::string too_big(kMaxEventBytes + 1, 'x');
  EXPECT_EQ(terms.Match(too_big).status, MatchStatus::kTooLarge);
  Matcher json(OrThrow(Program::Compile("{ $.a = 1 }")));
  EXPECT_FALSE(json.Match(std::string("{\"a\":1\0}", 8)).matched);
  EXPECT_FALSE(json.Match("{\"a\":\"\xff\"}").matched);  // invalid UTF-8 is not JSON
  EXPECT_FALSE(json.Match("").matched);
  EXPECT_FALSE(json.Match("{\"a\":1} trailing").matched);
  EXPECT_TRUE(json.Match("\n  {\"a\": 1}\n").matched);
}

}  // namespace
}  // namespace cwlf
