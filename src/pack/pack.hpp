// Rule packs (packs/README.md): loads a pack's JSON, substitutes parameters in
// filterPattern and insightsQuery, checks every rule and compiles its filter
// pattern, reporting every bad rule at once. Also holds the built-in pack that
// the build embeds. Not the scanner (src/scan) and not a deployer: nothing here
// talks to AWS or runs a pattern over events except RunRuleTests.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwlf/cwlf.hpp"

namespace cwlf::pack {

// A parameter's type is the JSON type of its default: string or string array.
struct Parameter {
  bool is_list = false;
  std::vector<std::string> values;  // a scalar holds exactly one
  std::string description;
};
using Parameters = std::map<std::string, Parameter, std::less<>>;

// The PutMetricAlarm fields a pack carries.
struct Alarm {
  std::string statistic = "Sum";  // Sum, SampleCount, Average, Minimum, Maximum
  int64_t period = 300;           // seconds
  int evaluation_periods = 1;
  int datapoints_to_alarm = 1;
  double threshold = 1;
  std::string comparison_operator = "GreaterThanOrEqualToThreshold";
  std::string treat_missing_data = "missing";  // missing, notBreaching, breaching, ignore
};

struct Rule {
  std::string id;
  std::string title;
  std::string severity;
  std::string description;
  std::vector<std::string> references;
  bool has_filter_pattern = false;
  bool has_insights_query = false;
  std::string raw_filter_pattern;  // as written, placeholders included
  std::string filter_pattern;      // after substitution
  std::string raw_insights_query;
  std::string insights_query;
  std::optional<cwlf::MetricTransformation> metric;  // checked against the pattern
  std::optional<Alarm> alarm;
  // Test events as CloudWatch Logs would hold them: objects as compact JSON,
  // strings as they are.
  std::vector<std::string> match_tests;
  std::vector<std::string> no_match_tests;
  std::string false_positives;
  std::optional<Program> program;  // the compiled filter pattern, when asked for
  std::optional<Query> query;      // the compiled insights query, when asked for
};

struct Pack {
  std::string origin;  // the file name as given, or "builtin"
  std::string name;
  std::string version;
  std::string description;
  Parameters parameters;  // after overrides
  std::vector<Rule> rules;
};

// One reason a pack did not load. diagnostic.origin is "PACK" or "PACK#rule-id";
// `source` is the text the span refers to (the pattern, expanded or not, or the
// pack file for JSON syntax errors), empty when the problem has no position.
struct Problem {
  Diagnostic diagnostic;
  std::string source;
  std::string Render() const;  // ends with a newline
};
using Problems = std::vector<Problem>;

struct LoadOptions {
  // Caller overrides, "NAME=VALUE". A list parameter takes VALUE as a JSON
  // array of strings when it starts with '[', else as a comma-separated list
  // (items trimmed); a scalar takes VALUE verbatim.
  std::vector<std::string> overrides;
  bool compile_filter_patterns = true;
  bool compile_insights_queries = false;
  CompileOptions compile_options;
};

// The text of the built-in pack (packs/builtin.json, embedded at build time).
std::string_view BuiltinPackText();

// Loads a pack from its JSON text; `origin` names it in diagnostics.
std::expected<Pack, Problems> LoadPack(std::string_view text, std::string_view origin,
                                       const LoadOptions& options = {});

// Loads "builtin" or a pack file from disk.
std::expected<Pack, Problems> LoadPackFile(const std::string& path_or_builtin,
                                           const LoadOptions& options = {});

// Substitutes parameters in one pattern or query (packs/README.md, "Parameter
// substitution"). On failure, the span points into `text`.
struct ExpandError {
  SourceSpan span;
  std::string message;
};
std::expected<std::string, ExpandError> Expand(std::string_view text, const Parameters& parameters);

// Runs a compiled rule over its own tests; one line per disagreement, e.g.
// "tests.match[1] did not match". Empty when all pass.
std::vector<std::string> RunRuleTests(const Rule& rule);

}  // namespace cwlf::pack
