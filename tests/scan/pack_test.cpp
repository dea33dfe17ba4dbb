// Pack loading: the built-in pack, every problem of a bad pack reported at
// once with its rule id, parameter substitution and overrides, and each
// built-in rule's own test records run through its filter pattern.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pack/pack.hpp"

namespace cwlf::pack {
namespace {

Parameters ListParam(std::vector<std::string> items) {
  Parameters p;
  p["ips"] = Parameter{true, std::move(items), ""};
  p["one"] = Parameter{false, {"\"203.0.113.10\""}, ""};
  return p;
}

std::vector<std::string> Origins(const Problems& problems) {
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.diagnostic.origin);
  return out;
}

TEST(Pack, BuiltinLoadsAndCompiles) {
  auto pack = LoadPackFile("builtin");
  ASSERT_TRUE(pack.has_value()) << (pack ? "" : pack.error().front().Render());
  EXPECT_EQ(pack->name, "cwlf-builtin-cloudtrail");
  EXPECT_EQ(pack->origin, "builtin");
  ASSERT_EQ(pack->rules.size(), 35u);
  EXPECT_EQ(pack->rules.front().id, "CloudWatch.1");
  EXPECT_EQ(pack->rules.back().id, "vpc-flow-logs-deleted");
  for (const Rule& rule : pack->rules) {
    SCOPED_TRACE(rule.id);
    ASSERT_TRUE(rule.program.has_value());
    EXPECT_EQ(rule.program->kind(), PatternKind::kJson);
    EXPECT_EQ(rule.filter_pattern.find("${"), std::string::npos);
    EXPECT_EQ(rule.insights_query.find("${"), std::string::npos);
    ASSERT_TRUE(rule.metric.has_value());
    ASSERT_TRUE(rule.alarm.has_value());
    EXPECT_EQ(rule.alarm->period, 300);
    EXPECT_EQ(rule.metric->default_value, 0.0);
    EXPECT_GE(rule.match_tests.size(), 2u);
    EXPECT_GE(rule.no_match_tests.size(), 2u);
  }
  const auto& ips = pack->parameters.at("allowed_source_ips");
  EXPECT_TRUE(ips.is_list);
  EXPECT_EQ(ips.values, (std::vector<std::string>{"203.0.113.10", "198.51.100.20"}));
}

TEST(Pack, BuiltinTextIsTheRepositoryFile) {
  const std::string_view text = BuiltinPackText();
  ASSERT_GT(text.size(), 100000u);
  EXPECT_EQ(text.front(), '{');
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(Pack, BuiltinDefaultsExpandAsDocumented) {
  auto pack = LoadPackFile("builtin");
  ASSERT_TRUE(pack);
  for (const Rule& rule : pack->rules) {
    if (rule.id == "console-login-outside-allowlist") {
      EXPECT_NE(rule.filter_pattern.find(
                    "&& $.sourceIPAddress != \"203.0.113.10\" && $.sourceIPAddress != \"198.51.100.20\" }"),
                std::string::npos)
          << rule.filter_pattern;
      EXPECT_NE(rule.insights_query.find(
                    "and sourceIPAddress != \"203.0.113.10\" and sourceIPAddress != \"198.51.100.20\""),
                std::string::npos);
    }
    if (rule.id == "ec2-large-instance-launched") {
      EXPECT_EQ(rule.filter_pattern.size(), 656u) << "packs/README.md gives 656 characters";
      EXPECT_NE(rule.insights_query.find("in [\"p3.16xlarge\", \"p3dn.24xlarge\","), std::string::npos);
    }
  }
}

// Every built-in rule's tests.match records match and tests.noMatch records
// do not, through the compiled filter pattern.
class BuiltinRuleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinRuleTest, OwnTestsPass) {
  static const auto pack = LoadPackFile("builtin");
  ASSERT_TRUE(pack);
  for (const Rule& rule : pack->rules) {
    if (rule.id != GetParam()) continue;
    const std::vector<std::string> failures = RunRuleTests(rule);
    std::string all;
    for (const std::string& f : failures) all += f + "\n";
    EXPECT_TRUE(failures.empty()) << rule.filter_pattern << "\n" << all;
    return;
  }
  FAIL() << "no rule " << GetParam();
}

std::vector<std::string> BuiltinIds() {
  std::vector<std::string> ids;
  auto json = nlohmann::json::parse(BuiltinPackText(), nullptr, false);
  for (const auto& rule : json["rules"]) ids.push_back(rule["id"].get<std::string>());
  return ids;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Builtin, BuiltinRuleTest, ::testing::ValuesIn(BuiltinIds()), TestName);

TEST(Pack, EveryBadRuleIsReportedAtOnce) {
  const char* text = R"({
    "rules": [
      {"id": "good", "filterPattern": "{ $.a = 1 }"},
      {"id": "syntax", "filterPattern": "{ $.a = }"},
      {"id": "param", "filterPattern": "{ $.a = ${nope} }"},
      {"id": "good", "filterPattern": "{ $.b = 1 }"},
      {"filterPattern": "x"},
      {"id": "empty"},
      {"id": "alarm", "filterPattern": "ERROR",
       "alarm": {"statistic": "p99", "period": 300, "evaluationPeriods": 1, "threshold": 1,
                 "comparisonOperator": "GreaterThanThreshold"}},
      {"id": "metric", "filterPattern": "ERROR",
       "metricTransformation": {"metricName": "m", "metricNamespace": "n", "metricValue": "$.x"}}
    ]})";
  auto pack = LoadPack(text, "p.json");
  ASSERT_FALSE(pack.has_value());
  EXPECT_EQ(Origins(pack.error()), (std::vector<std::string>{"p.json#syntax", "p.json#param", "p.json#good",
                                                             "p.json#rules[4]", "p.json#empty", "p.json#alarm",
                                                             "p.json#metric"}));
  // Pattern errors render with a caret into the pattern.
  const Problem& syntax = pack.error()[0];
  EXPECT_EQ(syntax.source, "{ $.a = }");
  EXPECT_EQ(syntax.diagnostic.span.begin, 8u);
  EXPECT_EQ(syntax.Render().substr(0, 19), "p.json#syntax:1:9: ");
  EXPECT_NE(syntax.Render().find("  { $.a = }\n          ^\n"), std::string::npos);
  const Problem& param = pack.error()[1];
  EXPECT_EQ(param.diagnostic.span.begin, 8u);
  EXPECT_EQ(param.diagnostic.span.end, 15u);
  EXPECT_NE(param.Render().find("unknown parameter 'nope'"), std::string::npos);
  EXPECT_NE(pack.error()[2].diagnostic.message.find("duplicate rule id"), std::string::npos);
  EXPECT_EQ(pack.error()[6].diagnostic.code, ErrorCode::kBadMetricTransformation);
}

TEST(Pack, PositionIsInTheExpandedPattern) {
  const char* text = R"({"parameters": {"ips": {"default": ["a", "b"]}},
    "rules": [{"id": "r", "filterPattern": "{ (${ips|$.x = \"%s\"| || }) && }"}]})";
  auto pack = LoadPack(text, "p.json");
  ASSERT_FALSE(pack);
  ASSERT_EQ(pack.error().size(), 1u);
  EXPECT_EQ(pack.error()[0].source, "{ ($.x = \"a\" || $.x = \"b\") && }");
  EXPECT_EQ(pack.error()[0].diagnostic.origin, "p.json#r");
}

TEST(Pack, NotJsonPointsIntoThePack) {
  auto pack = LoadPack("{\n  \"rules\": [,]\n}", "p.json");
  ASSERT_FALSE(pack);
  ASSERT_EQ(pack.error().size(), 1u);
  EXPECT_EQ(pack.error()[0].diagnostic.location.line, 2u);
  EXPECT_NE(pack.error()[0].diagnostic.message.find("not valid JSON"), std::string::npos);
}

TEST(Pack, RejectsAPackWithoutRules) {
  EXPECT_FALSE(LoadPack(R"({"rules": []})", "p"));
  EXPECT_FALSE(LoadPack(R"([1])", "p"));
  EXPECT_FALSE(LoadPackFile("/nonexistent/pack.json"));
}

TEST(Pack, InsightsOnlyRuleLoadsWithoutProgram) {
  auto pack = LoadPack(R"({"rules": [{"id": "q", "insightsQuery": "fields @message"}]})", "p");
  ASSERT_TRUE(pack);
  EXPECT_FALSE(pack->rules[0].program.has_value());
  EXPECT_TRUE(pack->rules[0].has_insights_query);
}

TEST(Expand, ScalarListAndEscape) {
  const Parameters p = ListParam({"1.1.1.1", "2.2.2.2"});
  EXPECT_EQ(Expand("$.ip != ${one}", p).value(), "$.ip != \"203.0.113.10\"");
  EXPECT_EQ(Expand("${ips|$.ip != \"%s\"| && }", p).value(), "$.ip != \"1.1.1.1\" && $.ip != \"2.2.2.2\"");
  EXPECT_EQ(Expand("[${ips|\"%s\"|, }]", p).value(), "[\"1.1.1.1\", \"2.2.2.2\"]");
  EXPECT_EQ(Expand("(${ips|a=%s,b=%s| || })", p).value(), "(a=1.1.1.1,b=1.1.1.1 || a=2.2.2.2,b=2.2.2.2)");
  EXPECT_EQ(Expand("${ips|%s|}", p).value(), "1.1.1.12.2.2.2");
  EXPECT_EQ(Expand("$${ips} and $x and $", p).value(), "${ips} and $x and $");
  EXPECT_EQ(Expand("no placeholders", p).value(), "no placeholders");
  // One pass: an expanded value is not scanned again.
  Parameters q;
  q["a"] = Parameter{false, {"${b}"}, ""};
  EXPECT_EQ(Expand("${a}", q).value(), "${b}");
}

TEST(Expand, Errors) {
  const Parameters p = ListParam({"1.1.1.1"});
  auto error = [&](std::string_view text) {
    auto r = Expand(text, p);
    return r ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(error("x ${nope} y"), "unknown parameter 'nope'");
  EXPECT_EQ(error("x ${ips"), "'${' without a closing '}'");
  EXPECT_EQ(error("${ips|%s}"), "the list form needs two '|': ${name|TEMPLATE|SEPARATOR}");
  EXPECT_NE(error("${ips}").find("used in the scalar form"), std::string::npos);
  EXPECT_EQ(error("${ips|x| && }"), "the template has no '%s'");
  EXPECT_NE(error("${1bad}").find("bad parameter name"), std::string::npos);
  auto r = Expand("ab ${nope}", p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().span.begin, 3u);
  EXPECT_EQ(r.error().span.end, 10u);
  Parameters empty;
  empty["e"] = Parameter{true, {}, ""};
  EXPECT_FALSE(Expand("${e|%s|,}", empty));
  EXPECT_EQ(error("${ips|\"%s\"| }"), "ok");  // quotes in the template are fine
}

constexpr const char* kParamPack = R"({
  "parameters": {
    "ips": {"default": ["203.0.113.10", "198.51.100.20"]},
    "name": {"default": "\"ConsoleLogin\""}
  },
  "rules": [{"id": "r", "filterPattern": "{ $.eventName = ${name} && ${ips|$.sourceIPAddress != \"%s\"| && } }"}]
})";

TEST(Overrides, CommaListJsonArrayAndScalar) {
  LoadOptions options;
  options.overrides = {"ips=1.1.1.1, 2.2.2.2", "name=\"Other\""};
  auto pack = LoadPack(kParamPack, "p", options);
  ASSERT_TRUE(pack) << pack.error().front().Render();
  EXPECT_EQ(pack->rules[0].filter_pattern,
            "{ $.eventName = \"Other\" && $.sourceIPAddress != \"1.1.1.1\" && $.sourceIPAddress != \"2.2.2.2\" }");
  options.overrides = {"ips=[\"9.9.9.9\"]"};
  pack = LoadPack(kParamPack, "p", options);
  ASSERT_TRUE(pack);
  EXPECT_EQ(pack->rules[0].filter_pattern,
            "{ $.eventName = \"ConsoleLogin\" && $.sourceIPAddress != \"9.9.9.9\" }");
  EXPECT_EQ(pack->parameters.at("ips").values, std::vector<std::string>{"9.9.9.9"});
  // The compiled program follows the override.
  Matcher m(*pack->rules[0].program);
  EXPECT_TRUE(m.Match(R"({"eventName":"ConsoleLogin","sourceIPAddress":"1.1.1.1"})").matched);
  EXPECT_FALSE(m.Match(R"({"eventName":"ConsoleLogin","sourceIPAddress":"9.9.9.9"})").matched);
}

TEST(Overrides, ErrorsAreAllReported) {
  LoadOptions options;
  options.overrides = {"nope=1", "ips", "ips=", "ips=a,,b", "ips=[1]", "ips=a\"b", "ips=a\\b"};
  auto pack = LoadPack(kParamPack, "p", options);
  ASSERT_FALSE(pack);
  std::vector<std::string> messages;
  for (const Problem& p : pack.error()) messages.push_back(p.diagnostic.message);
  ASSERT_EQ(messages.size(), 7u);
  EXPECT_NE(messages[0].find("unknown parameter 'nope'"), std::string::npos);
  EXPECT_EQ(messages[1], "expected NAME=VALUE");
  EXPECT_NE(messages[2].find("empty list"), std::string::npos);
  EXPECT_NE(messages[3].find("empty item"), std::string::npos);
  EXPECT_NE(messages[4].find("JSON array of strings"), std::string::npos);
  EXPECT_NE(messages[5].find("double quote"), std::string::npos);
  EXPECT_NE(messages[6].find("backslash"), std::string::npos);
  EXPECT_EQ(pack.error()[0].diagnostic.origin, "--param nope=1");
}

TEST(Overrides, BadDefaultsStopLoading) {
  auto pack = LoadPack(R"({"parameters": {"a": {"default": []}, "b": {"default": ["x\u0001"]}, "c": {"default": 3},
                           "9d": {"default": "x"}},
                           "rules": [{"id": "r", "filterPattern": "x"}]})",
                       "p");
  ASSERT_FALSE(pack);
  EXPECT_EQ(pack.error().size(), 4u);
}

TEST(Overrides, TooLongAfterSubstitutionIsABadPattern) {
  LoadOptions options;
  std::string many;
  for (int i = 0; i < 40; ++i) many += (i ? "," : "") + std::string("198.51.100.") + std::to_string(i);
  options.overrides = {"allowed_source_ips=" + many};
  auto pack = LoadPackFile("builtin", options);
  ASSERT_FALSE(pack);
  ASSERT_EQ(pack.error().size(), 1u);
  EXPECT_EQ(pack.error()[0].diagnostic.origin, "builtin#console-login-outside-allowlist");
  EXPECT_EQ(pack.error()[0].diagnostic.code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace cwlf::pack
