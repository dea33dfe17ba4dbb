// The glob of semantics.md R-G1 (first occurrence, no backtracking) and the
// documented edges-only reading R-G2.
#include <gtest/gtest.h>

#include "ir/glob.hpp"

namespace cwlf::ir {
namespace {

bool M(const char* glob, const char* s, GlobMode mode = GlobMode::kFirstOccurrence) {
  return Glob::Compile(glob, mode).Match(s);
}

TEST(Glob, ShapesPickTheCheapTest) {
  EXPECT_EQ(Glob::Compile("abc", GlobMode::kFirstOccurrence).shape(), Glob::Shape::kExact);
  EXPECT_EQ(Glob::Compile("abc*", GlobMode::kFirstOccurrence).shape(), Glob::Shape::kPrefix);
  EXPECT_EQ(Glob::Compile("*abc*", GlobMode::kFirstOccurrence).shape(), Glob::Shape::kContains);
  EXPECT_EQ(Glob::Compile("*", GlobMode::kFirstOccurrence).shape(), Glob::Shape::kAny);
  EXPECT_EQ(Glob::Compile("**", GlobMode::kFirstOccurrence).shape(), Glob::Shape::kAny);
  EXPECT_EQ(Glob::Compile("a*b", GlobMode::kFirstOccurrence).shape(), Glob::Shape::kGeneral);
}

TEST(Glob, AwsObservedFirstOccurrence) {
  // The 2019 AWS-verified observations behind R-G1.
  EXPECT_FALSE(M("*111.111.111", "111.111.111.111"));
  EXPECT_TRUE(M("*.111.111.111", "111.111.111.111"));
  EXPECT_TRUE(M("1*3", "123"));
  EXPECT_FALSE(M("111*111", "111.111.111.111"));
  EXPECT_TRUE(M("*Event", "AwsApiCallEvent"));
  EXPECT_FALSE(M("*1", "121"));  // the first "1" does not end the string
}

TEST(Glob, EdgesAndEmpty) {
  EXPECT_TRUE(M("*", ""));
  EXPECT_TRUE(M("", ""));
  EXPECT_FALSE(M("", "x"));
  EXPECT_TRUE(M("Alpha*", "Alphabet"));
  EXPECT_FALSE(M("Alpha*", "xAlpha"));
  EXPECT_TRUE(M("*Alpha", "xAlpha"));
  EXPECT_TRUE(M("a?b", "a?b"));   // '?' is literal
  EXPECT_FALSE(M("a?b", "axb"));
}

TEST(Glob, EdgesOnlyModeTreatsMiddleStarLiterally) {
  EXPECT_TRUE(M("Ev*ent", "Ev*ent", GlobMode::kEdgesOnly));
  EXPECT_FALSE(M("Ev*ent", "Event", GlobMode::kEdgesOnly));
  EXPECT_TRUE(M("*1", "121", GlobMode::kEdgesOnly));
  EXPECT_TRUE(M("*bc*", "abcd", GlobMode::kEdgesOnly));
}

}  // namespace
}  // namespace cwlf::ir
