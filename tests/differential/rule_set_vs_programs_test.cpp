// A RuleSet must report exactly the rules whose own Programs match: checked
// on the corpus with the built-in pack's patterns plus generated ones, with
// equality dispatch on and off, and against the reference evaluator.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"
#include "support/corpus.hpp"

namespace cwlf {
namespace {

std::vector<std::string> Patterns() {
  std::vector<std::string> p = {
      R"({ $.eventName = "ConsoleLogin" })",
      R"({ ($.eventName = "PutObject") || ($.eventName = "GetObject") })",
      R"({ $.eventSource = "s3.amazonaws.com" && $.eventName = "PutObject" && $.errorCode NOT EXISTS })",
      R"({ $.eventName = "PutObject" && $.requestParameters.bucketName = "*ransom*" })",
      R"({ $.eventName != "PutObject" && $.eventSource = "kms.amazonaws.com" })",
      R"({ $.errorCode = "AccessDenied*" })",
      R"({ $.userIdentity.type = "Root" })",
      R"({ $.resources[*].type = "AWS::S3::Object" })",
      R"({ $.eventName = 1* })",
      "AccessDenied",
      "?Decrypt ?GenerateDataKey",
      "%arn:aws:iam::[0-9]+:root%",
      "[a, ..., b]",
  };
  const char* names[] = {"PutObject", "GetBucketAcl", "GenerateDataKey", "GetObject", "Decrypt", "HeadBucket",
                         "AssumeRole", "DescribeInstances", "ConsoleLogin", "CreateAccessKey", "StopLogging"};
  std::mt19937 rng(7);
  for (int i = 0; i < 120; ++i) {
    const char* a = names[rng() % std::size(names)];
    const char* b = names[rng() % std::size(names)];
    switch (rng() % 4) {
      case 0: p.push_back(fmt::format(R"({{ $.eventName = "{}" }})", a)); break;
      case 1: p.push_back(fmt::format(R"({{ $.eventName = "{}" || $.eventName = "{}" }})", a, b)); break;
      case 2: p.push_back(fmt::format(R"({{ $.eventName = "{}" && $.awsRegion = "us-west-1" }})", a)); break;
      default: p.push_back(fmt::format(R"({{ $.eventName = "{}*" }})", std::string(a).substr(0, 3))); break;
    }
  }
  return p;
}

TEST(RuleSetDifferential, ReportsExactlyTheRulesWhoseProgramsMatch) {
  const std::vector<std::string> events = testing::LoadCorpus(5);
  if (events.empty()) GTEST_SKIP() << "shared/corpus is not there";
  const std::vector<std::string> patterns = Patterns();
  std::vector<Program> programs;
  for (const std::string& p : patterns) programs.push_back(OrThrow(Program::Compile(p)));
  for (bool dispatch : {true, false}) {
    RuleSet::Builder builder;
    for (size_t i = 0; i < programs.size(); ++i) builder.Add(static_cast<RuleId>(1000 + i), programs[i]);
    RuleSet set = OrThrow(std::move(builder).Build({.equality_dispatch = dispatch}));
    if (dispatch) EXPECT_NE(set.DispatchSummary().find("$.eventName"), std::string::npos) << set.DispatchSummary();
    RuleSetMatcher matcher(set);
    std::vector<Matcher> singles;
    for (const Program& p : programs) singles.emplace_back(p);
    std::vector<RuleId> hits;
    size_t total = 0, mismatches = 0;
    for (size_t e = 0; e < events.size(); ++e) {
      matcher.Match(events[e], hits);
      std::vector<RuleId> expected;
      for (size_t i = 0; i < singles.size(); ++i)
        if (singles[i].Match(events[e]).matched) expected.push_back(static_cast<RuleId>(1000 + i));
      total += expected.size();
      if (hits != expected && ++mismatches < 5) ADD_FAILURE() << "event " << e << ": " << events[e].substr(0, 200);
      if (e % 97 == 0) {  // and the oracle, on a sample
        for (size_t i = 0; i < programs.size(); ++i)
          EXPECT_EQ(reference::Evaluate(programs[i], events[e]).matched,
                    std::find(hits.begin(), hits.end(), 1000 + i) != hits.end());
      }
    }
    std::printf("rule set (dispatch %s): %zu rules x %zu events, %zu hits, %zu mismatches; %s\n",
                dispatch ? "on" : "off", programs.size(), events.size(), total, mismatches,
                set.DispatchSummary().c_str());
    EXPECT_EQ(mismatches, 0u);
    EXPECT_GT(total, events.size() / 2);
  }
}

TEST(RuleSet, BuildReportsEveryBadRuleAndDuplicateIds) {
  RuleSet::Builder b;
  b.Add(1, "{ $.a = }").Add(2, "ERROR").Add(3, "ERR*").Add(2, "WARN");
  auto r = std::move(b).Build();
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().all().size(), 3u);
  EXPECT_EQ(r.error().all()[0].origin, "rule 1");
  EXPECT_EQ(r.error().all()[1].origin, "rule 3");
  EXPECT_NE(r.error().all()[2].message.find("duplicate rule id 2"), std::string::npos);
}

TEST(RuleSet, CallbackCanStopEarly) {
  RuleSet set = OrThrow(RuleSet::Builder().Add(1, "a").Add(2, "b").Add(3, "c").Build());
  RuleSetMatcher m(set);
  std::vector<RuleId> seen;
  m.Match("a b c", [&seen](RuleId id) {
    seen.push_back(id);
    return id < 2;
  });
  EXPECT_EQ(seen, (std::vector<RuleId>{1, 2}));
}

}  // namespace
}  // namespace cwlf
