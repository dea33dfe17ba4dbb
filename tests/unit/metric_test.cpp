// Metric transformations: validation against the pattern (R-M1, R-M3) and the
// values matching events publish (R-M2).
#include <gtest/gtest.h>

#include "cwlf/cwlf.hpp"

namespace cwlf {
namespace {

MetricTransformation Mt(std::string value) {
  MetricTransformation t;
  t.metric_name = "Errors";
  t.metric_namespace = "App";
  t.metric_value = std::move(value);
  return t;
}

TEST(Metric, ValueFormsFollowThePatternFamily) {
  const Program json = OrThrow(Program::Compile("{ $.latency = * }"));
  const Program fields = OrThrow(Program::Compile("[ip, user, bytes]"));
  const Program terms = OrThrow(Program::Compile("ERROR"));
  EXPECT_TRUE(CheckMetricTransformation(json, Mt("$.latency")).empty());
  EXPECT_TRUE(CheckMetricTransformation(json, Mt("1")).empty());
  EXPECT_TRUE(CheckMetricTransformation(fields, Mt("$bytes")).empty());
  EXPECT_TRUE(CheckMetricTransformation(fields, Mt("$3")).empty());
  EXPECT_FALSE(CheckMetricTransformation(fields, Mt("$size")).empty());
  EXPECT_FALSE(CheckMetricTransformation(terms, Mt("$.latency")).empty());
  EXPECT_FALSE(CheckMetricTransformation(json, Mt("$bytes")).empty());
  EXPECT_FALSE(CheckMetricTransformation(json, Mt("one")).empty());
  EXPECT_FALSE(CheckMetricTransformation(json, Mt("$..x")).empty());
}

TEST(Metric, DimensionsAndNames) {
  const Program json = OrThrow(Program::Compile("{ $.eventType = * }"));
  const Program terms = OrThrow(Program::Compile("ERROR"));
  MetricTransformation t = Mt("1");
  t.dimensions = {{"EventType", "$.eventType"}};
  EXPECT_TRUE(CheckMetricTransformation(json, t).empty());
  EXPECT_FALSE(CheckMetricTransformation(terms, t).empty());
  t.default_value = 0;
  EXPECT_FALSE(CheckMetricTransformation(json, t).empty());
  t.default_value.reset();
  t.dimensions = {{"a", "$.a"}, {"b", "$.b"}, {"c", "$.c"}, {"d", "$.d"}};
  EXPECT_FALSE(CheckMetricTransformation(json, t).empty());
  MetricTransformation bad_name = Mt("1");
  bad_name.metric_name = "a:b";
  EXPECT_FALSE(CheckMetricTransformation(json, bad_name).empty());
  MetricTransformation bad_unit = Mt("1");
  bad_unit.unit = "Furlongs";
  EXPECT_FALSE(CheckMetricTransformation(json, bad_unit).empty());
}

TEST(Metric, ValuesReadFromTheEvent) {
  const Program json = OrThrow(Program::Compile("{ $.kind = * && $.value = * }"));
  MetricEvaluator e = OrThrow(MetricEvaluator::Create(json, Mt("$.value")));
  EXPECT_EQ(e.Value(R"({"kind":"number","value":7})", {}), 7.0);
  EXPECT_EQ(e.Value(R"({"kind":"string","value":"11.5"})", {}), 11.5);  // R-M2
  EXPECT_EQ(e.Value(R"({"kind":"bad","value":"banana"})", {}), std::nullopt);
  MetricEvaluator constant = OrThrow(MetricEvaluator::Create(json, Mt("2.5")));
  EXPECT_EQ(constant.Value("anything", {}), 2.5);

  const Program fields = OrThrow(Program::Compile("[kind = \"SPACE\", value, bucket]"));
  Matcher m(fields);
  MetricTransformation t = Mt("$value");
  t.dimensions = {{"Bucket", "$bucket"}};
  MetricEvaluator f = OrThrow(MetricEvaluator::Create(fields, t));
  ASSERT_TRUE(m.Match("SPACE 13 A").matched);
  EXPECT_EQ(f.Value("SPACE 13 A", m.ExtractedValues()), 13.0);
  EXPECT_EQ(f.Dimensions("SPACE 13 A", m.ExtractedValues()),
            (std::vector<std::pair<std::string, std::string>>{{"Bucket", "A"}}));
  ASSERT_TRUE(m.Match("SPACE banana A").matched);
  EXPECT_EQ(f.Value("SPACE banana A", m.ExtractedValues()), std::nullopt);
}

}  // namespace
}  // namespace cwlf
