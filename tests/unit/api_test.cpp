// The public API: Result<T>, OrThrow, Program accessors, Matcher reuse and moves.
#include <gtest/gtest.h>

#include <thread>

#include "cwlf/cwlf.hpp"

namespace cwlf {
namespace {

TEST(Api, CompileReportsKindAndWarnings) {
  auto p = Program::Compile("?ERROR ?WARN REQUEST");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->kind(), PatternKind::kTerms);
  ASSERT_EQ(p->warnings().size(), 1u);
  EXPECT_EQ(p->warnings()[0].severity, Severity::kWarning);
  EXPECT_EQ(Program::Compile("{ $.a = 1 }")->kind(), PatternKind::kJson);
  EXPECT_EQ(Program::Compile("[a, b]")->kind(), PatternKind::kDelimited);
}

TEST(Api, OrThrowThrowsPatternError) {
  EXPECT_THROW(OrThrow(Program::Compile("{ $.a = }")), PatternError);
  EXPECT_NO_THROW(OrThrow(Program::Compile("ERROR")));
  try {
    OrThrow(Program::Compile("{ $.a = }"));
  } catch (const PatternError& e) {
    EXPECT_NE(std::string(e.what()).find("^"), std::string::npos);
    EXPECT_EQ(e.error().primary().code, ErrorCode::kUnexpectedToken);
  }
}

TEST(Api, MatcherIsReusableAndMovable) {
  Matcher m(OrThrow(Program::Compile("{ $.eventName = \"ConsoleLogin\" }")));
  EXPECT_TRUE(m.Match(R"({"eventName":"ConsoleLogin"})").matched);
  EXPECT_FALSE(m.Match(R"({"eventName":"Other"})").matched);
  MatchResult r = m.Match("not json");
  EXPECT_FALSE(r.matched);
  EXPECT_EQ(r.status, MatchStatus::kNotJson);
  Matcher moved = std::move(m);
  EXPECT_TRUE(moved.Match(R"({"eventName":"ConsoleLogin"})").matched);
}

TEST(Api, ProgramIsSharedAcrossThreads) {
  const Program program = OrThrow(Program::Compile("{ $.n > 10 }"));
  std::vector<std::thread> threads;
  std::vector<int> hits(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&program, &hits, t] {
      Matcher m(program);
      for (int i = 0; i < 1000; ++i)
        hits[t] += m.Match("{\"n\": " + std::to_string(i) + "}").matched;
    });
  }
  for (auto& th : threads) th.join();
  for (int h : hits) EXPECT_EQ(h, 989);
}

TEST(Api, ExtractedValuesOnlyAfterAMatch) {
  Matcher m(OrThrow(Program::Compile("[a, b = 2]")));
  EXPECT_TRUE(m.Match("x 2").matched);
  EXPECT_EQ(m.ExtractedValues(), (std::vector<ExtractedValue>{{"$a", "x"}, {"$b", "2"}}));
  EXPECT_FALSE(m.Match("x 3").matched);
  EXPECT_TRUE(m.ExtractedValues().empty());
}

}  // namespace
}  // namespace cwlf
