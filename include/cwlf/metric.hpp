// Metric transformations (PutMetricFilter's metricTransformations): checking
// one against its pattern as AWS would, and computing the value and
// dimensions a matching event publishes (semantics.md R-M1..R-M3). Std-only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwlf/matcher.hpp"
#include "cwlf/program.hpp"

namespace cwlf {

struct MetricTransformation {
  std::string metric_name;
  std::string metric_namespace;
  std::string metric_value = "1";  // a number, "$.selector", "$name" or "$N"
  std::optional<double> default_value;
  std::vector<std::pair<std::string, std::string>> dimensions;  // name -> "$.selector" / "$field"
  std::string unit = "None";
};

// Checks the transformation against the program's pattern: required names and
// their character rules, metricValue's form for the pattern's family, at most
// 3 dimensions and only for structured patterns, no dimensions together with
// a defaultValue, a known unit. Spans refer to the metricValue or dimension
// text; origin names the member ("metricValue", "dimensions.Name").
std::vector<Diagnostic> CheckMetricTransformation(const Program& program,
                                                  const MetricTransformation& transformation);

namespace detail {
class MetricState;
}  // namespace detail

// Computes what a matching event publishes. Not thread-safe (one per thread,
// like a Matcher); construction compiles the selectors it reads once.
class MetricEvaluator {
 public:
  // Fails with the diagnostics of CheckMetricTransformation when invalid.
  static Result<MetricEvaluator> Create(const Program& program, const MetricTransformation& transformation);
  ~MetricEvaluator();
  MetricEvaluator(MetricEvaluator&&) noexcept;
  MetricEvaluator& operator=(MetricEvaluator&&) noexcept;

  // The value published for `message`, which the program matched;
  // `extracted` is Matcher::ExtractedValues() for that match. nullopt when
  // the value read from the event is missing or not numeric (R-M2).
  std::optional<double> Value(std::string_view message, const std::vector<ExtractedValue>& extracted) noexcept;

  // Dimension values for the same event; a dimension whose value is missing
  // is left out.
  std::vector<std::pair<std::string, std::string>> Dimensions(
      std::string_view message, const std::vector<ExtractedValue>& extracted) noexcept;

  const MetricTransformation& transformation() const;

 private:
  explicit MetricEvaluator(std::unique_ptr<detail::MetricState> state);
  std::unique_ptr<detail::MetricState> state_;
};

}  // namespace cwlf
