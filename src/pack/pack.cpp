// Pack loading: JSON shape checks, parameter overrides and substitution, and
// compilation of every rule's filter pattern, collecting all problems before
// giving up. Not the event scanner; Insights queries are expanded, not parsed.
#include "pack/pack.hpp"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace cwlf::pack {

namespace detail {
extern const unsigned char kBuiltinPack[];
extern const std::size_t kBuiltinPackSize;
}  // namespace detail

namespace {

using nlohmann::json;

Problem MakeProblem(std::string origin, std::string message, ErrorCode code = ErrorCode::kBadInput) {
  Problem p;
  p.diagnostic.code = code;
  p.diagnostic.severity = Severity::kError;
  p.diagnostic.origin = std::move(origin);
  p.diagnostic.message = std::move(message);
  return p;
}

// A problem with a position in `source`.
Problem MakeProblemAt(std::string origin, std::string message, SourceSpan span, std::string source,
                      ErrorCode code = ErrorCode::kBadInput) {
  Problem p = MakeProblem(std::move(origin), std::move(message), code);
  p.diagnostic.span = span;
  p.diagnostic.location = LocateOffset(source, span.begin);
  p.source = std::move(source);
  return p;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  const auto head = static_cast<unsigned char>(name[0]);
  if (!std::isalpha(head) && head != '_') return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (!std::isalnum(c) && c != '_') return false;
  }
  return true;
}

// Why a list item cannot go inside a quoted pattern string, or empty if it can.
std::string BadItemReason(std::string_view item) {
  for (char ch : item) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') return "contains a double quote";
    if (c == '\\') return "contains a backslash";
    if (c < 0x20 || c == 0x7f) return "contains a control character";
  }
  return {};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string TypeName(const json& value) { return value.type_name(); }

// Checks the items of a list parameter; adds problems and returns false if bad.
bool CheckListItems(const std::vector<std::string>& items, const std::string& origin,
                    const std::string& name, Problems* problems) {
  if (items.empty()) {
    problems->push_back(MakeProblem(origin, fmt::format("parameter '{}' is an empty list", name)));
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string reason = BadItemReason(items[i]);
    if (reason.empty()) continue;
    problems->push_back(
        MakeProblem(origin, fmt::format("parameter '{}' item {} ('{}') {}; it could not sit inside a quoted "
                                        "string",
                                        name, i, items[i], reason)));
    ok = false;
  }
  return ok;
}

void ParseParameters(const json& pack, const std::string& origin, Parameters* out, Problems* problems) {
  if (!pack.contains("parameters")) return;
  const json& params = pack["parameters"];
  if (!params.is_object()) {
    problems->push_back(MakeProblem(origin, "'parameters' must be an object, not " + TypeName(params)));
    return;
  }
  for (const auto& [name, spec] : params.items()) {
    const std::string where = fmt::format("{}#parameters.{}", origin, name);
    if (!IsValidName(name)) {
      problems->push_back(
          MakeProblem(where, fmt::format("bad parameter name '{}': expected [A-Za-z_][A-Za-z0-9_]*", name)));
      continue;
    }
    if (!spec.is_object() || !spec.contains("default")) {
      problems->push_back(MakeProblem(where, "a parameter must be an object with a 'default'"));
      continue;
    }
    Parameter p;
    const json& def = spec["default"];
    if (def.is_string()) {
      p.values.push_back(def.get<std::string>());
    } else if (def.is_array()) {
      p.is_list = true;
      bool ok = true;
      for (const json& item : def) {
        if (!item.is_string()) {
          problems->push_back(MakeProblem(where, "list items must be strings, not " + TypeName(item)));
          ok = false;
          break;
        }
        p.values.push_back(item.get<std::string>());
      }
      if (!ok || !CheckListItems(p.values, where, name, problems)) continue;
    } else {
      problems->push_back(
          MakeProblem(where, "'default' must be a string or an array of strings, not " + TypeName(def)));
      continue;
    }
    if (spec.contains("description") && spec["description"].is_string())
      p.description = spec["description"].get<std::string>();
    (*out)[name] = std::move(p);
  }
}

void ApplyOverrides(const std::vector<std::string>& overrides, Parameters* params, Problems* problems) {
  for (const std::string& text : overrides) {
    const std::string origin = "--param " + text;
    const size_t eq = text.find('=');
    if (eq == std::string::npos) {
      problems->push_back(MakeProblem(origin, "expected NAME=VALUE"));
      continue;
    }
    const std::string name(Trim(std::string_view(text).substr(0, eq)));
    const std::string_view value = std::string_view(text).substr(eq + 1);
    auto it = params->find(name);
    if (it == params->end()) {
      std::string known;
      for (const auto& [n, p] : *params) known += (known.empty() ? "" : ", ") + n;
      problems->push_back(MakeProblem(
          origin,
          fmt::format("unknown parameter '{}' (the pack declares: {})", name, known.empty() ? "none" : known)));
      continue;
    }
    Parameter& p = it->second;
    if (!p.is_list) {
      p.values = {std::string(value)};
      continue;
    }
    std::vector<std::string> items;
    const std::string_view trimmed = Trim(value);
    if (!trimmed.empty() && trimmed.front() == '[') {
      json parsed = json::parse(trimmed, nullptr, false);
      bool ok = parsed.is_array();
      if (ok) {
        for (const json& item : parsed) {
          if (!item.is_string()) {
            ok = false;
            break;
          }
          items.push_back(item.get<std::string>());
        }
      }
      if (!ok) {
        problems->push_back(MakeProblem(origin, "a value starting with '[' must be a JSON array of strings"));
        continue;
      }
    } else if (!trimmed.empty()) {
      size_t start = 0;
      while (true) {
        const size_t comma = value.find(',', start);
        items.emplace_back(Trim(value.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                    : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      bool empty_item = false;
      for (const std::string& item : items) empty_item |= item.empty();
      if (empty_item) {
        problems->push_back(MakeProblem(origin, "empty item in the comma-separated list"));
        continue;
      }
    }
    if (!CheckListItems(items, origin, name, problems)) continue;
    p.values = std::move(items);
  }
}

// Reads an optional string member; a wrong type is a problem. Returns whether
// the member was present and a string.
bool ReadString(const json& obj, const char* key, std::string* out, const std::string& origin,
                Problems* problems) {
  if (!obj.contains(key)) return false;
  const json& v = obj[key];
  if (!v.is_string()) {
    problems->push_back(MakeProblem(origin, fmt::format("'{}' must be a string, not {}", key, TypeName(v))));
    return false;
  }
  *out = v.get<std::string>();
  return true;
}

std::optional<MetricTransformation> ReadMetric(const json& rule, const std::string& origin, Problems* problems) {
  if (!rule.contains("metricTransformation")) return std::nullopt;
  const json& m = rule["metricTransformation"];
  const ErrorCode code = ErrorCode::kBadMetricTransformation;
  if (!m.is_object()) {
    problems->push_back(MakeProblem(origin, "'metricTransformation' must be an object", code));
    return std::nullopt;
  }
  const size_t before = problems->size();
  MetricTransformation out;
  for (const char* key : {"metricName", "metricNamespace", "metricValue"}) {
    if (!m.contains(key))
      problems->push_back(MakeProblem(origin, fmt::format("metricTransformation needs '{}'", key), code));
  }
  ReadString(m, "metricName", &out.metric_name, origin, problems);
  ReadString(m, "metricNamespace", &out.metric_namespace, origin, problems);
  ReadString(m, "metricValue", &out.metric_value, origin, problems);
  ReadString(m, "unit", &out.unit, origin, problems);
  if (m.contains("defaultValue")) {
    if (m["defaultValue"].is_number()) {
      out.default_value = m["defaultValue"].get<double>();
    } else if (!m["defaultValue"].is_null()) {
      problems->push_back(MakeProblem(origin, "metricTransformation 'defaultValue' must be a number", code));
    }
  }
  if (m.contains("dimensions")) {
    const json& dims = m["dimensions"];
    if (!dims.is_object()) {
      problems->push_back(MakeProblem(origin, "metricTransformation 'dimensions' must be an object", code));
    } else {
      for (const auto& [name, value] : dims.items()) {
        if (value.is_string()) out.dimensions.emplace_back(name, value.get<std::string>());
        else problems->push_back(MakeProblem(origin, fmt::format("dimension '{}' must be a string", name), code));
      }
    }
  }
  if (problems->size() != before) return std::nullopt;
  return out;
}

std::optional<Alarm> ReadAlarm(const json& rule, const std::string& origin, Problems* problems) {
  if (!rule.contains("alarm")) return std::nullopt;
  const json& a = rule["alarm"];
  const ErrorCode code = ErrorCode::kBadMetricTransformation;
  if (!a.is_object()) {
    problems->push_back(MakeProblem(origin, "'alarm' must be an object", code));
    return std::nullopt;
  }
  const size_t before = problems->size();
  Alarm out;
  auto one_of = [&](const char* key, std::string* value, std::initializer_list<std::string_view> allowed,
                    bool required) {
    if (!a.contains(key)) {
      if (required) problems->push_back(MakeProblem(origin, fmt::format("alarm needs '{}'", key), code));
      return;
    }
    if (!ReadString(a, key, value, origin, problems)) return;
    for (std::string_view ok : allowed)
      if (*value == ok) return;
    std::string list;
    for (std::string_view ok : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", ok);
    problems->push_back(
        MakeProblem(origin, fmt::format("alarm '{}' is '{}'; expected one of {}", key, *value, list), code));
  };
  auto integer = [&](const char* key, int64_t* value, int64_t min, bool required) {
    if (!a.contains(key)) {
      if (required) problems->push_back(MakeProblem(origin, fmt::format("alarm needs '{}'", key), code));
      return false;
    }
    const json& v = a[key];
    if (!v.is_number_integer() || v.get<int64_t>() < min) {
      problems->push_back(MakeProblem(origin, fmt::format("alarm '{}' must be an integer >= {}", key, min), code));
      return false;
    }
    *value = v.get<int64_t>();
    return true;
  };
  one_of("statistic", &out.statistic, {"SampleCount", "Average", "Sum", "Minimum", "Maximum"}, true);
  if (integer("period", &out.period, 1, true) && !(out.period == 10 || out.period == 20 || out.period == 30 ||
                                                     out.period % 60 == 0)) {
    problems->push_back(MakeProblem(origin, "alarm 'period' must be 10, 20, 30 or a multiple of 60", code));
  }
  int64_t n = 1, m = 0;
  if (integer("evaluationPeriods", &n, 1, true))
    out.evaluation_periods = static_cast<int>(std::min<int64_t>(n, 100000));
  if (integer("datapointsToAlarm", &m, 1, false)) {
    if (m > n) problems->push_back(MakeProblem(origin, "alarm 'datapointsToAlarm' exceeds 'evaluationPeriods'", code));
    out.datapoints_to_alarm = static_cast<int>(std::min<int64_t>(m, n));
  } else {
    out.datapoints_to_alarm = out.evaluation_periods;
  }
  if (!a.contains("threshold") || !a["threshold"].is_number()) {
    problems->push_back(MakeProblem(origin, "alarm needs a numeric 'threshold'", code));
  } else {
    out.threshold = a["threshold"].get<double>();
  }
  one_of("comparisonOperator", &out.comparison_operator,
         {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"},
         true);
  one_of("treatMissingData", &out.treat_missing_data, {"missing", "notBreaching", "breaching", "ignore"}, false);
  if (problems->size() != before) return std::nullopt;
  return out;
}

void ReadTests(const json& rule, Rule* out, const std::string& origin, Problems* problems) {
  if (!rule.contains("tests")) return;
  const json& tests = rule["tests"];
  if (!tests.is_object()) {
    problems->push_back(MakeProblem(origin, "'tests' must be an object with 'match' and 'noMatch' arrays"));
    return;
  }
  auto read = [&](const char* key, std::vector<std::string>* list) {
    if (!tests.contains(key)) return;
    const json& items = tests[key];
    if (!items.is_array()) {
      problems->push_back(MakeProblem(origin, fmt::format("tests.{} must be an array", key)));
      return;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].is_string()) {
        list->push_back(items[i].get<std::string>());
      } else if (items[i].is_object()) {
        list->push_back(items[i].dump(-1, ' ', false, json::error_handler_t::replace));
      } else {
        problems->push_back(MakeProblem(origin, fmt::format("tests.{}[{}] must be an object or a string", key, i)));
      }
    }
  };
  read("match", &out->match_tests);
  read("noMatch", &out->no_match_tests);
}

// Substitutes one pattern or query; a failure is a problem against the raw text.
bool ExpandField(const std::string& raw, const Parameters& params, const std::string& origin, const char* field,
                 std::string* out, Problems* problems) {
  auto expanded = Expand(raw, params);
  if (!expanded) {
    problems->push_back(MakeProblemAt(origin, fmt::format("{}: {}", field, expanded.error().message),
                                      expanded.error().span, raw));
    return false;
  }
  *out = std::move(*expanded);
  return true;
}

void CompileRule(Rule* rule, const std::string& origin, const CompileOptions& options, Problems* problems) {
  auto program = Program::Compile(rule->filter_pattern, options);
  if (!program) {
    for (const Diagnostic& d : program.error().all()) {
      Problem p;
      p.diagnostic = d;
      p.diagnostic.origin = origin;
      p.source = rule->filter_pattern;
      problems->push_back(std::move(p));
    }
    return;
  }
  if (rule->metric) {
    const MetricTransformation& m = *rule->metric;
    bool bad = false;
    for (const Diagnostic& d : CheckMetricTransformation(*program, m)) {
      // The span refers to the member's own text (metricValue, a name, a unit).
      std::string text;
      if (d.origin == "metricValue") text = m.metric_value;
      else if (d.origin == "metricName") text = m.metric_name;
      else if (d.origin == "metricNamespace") text = m.metric_namespace;
      else if (d.origin == "unit") text = m.unit;
      // dimensions: a name or a value; shown without a caret.
      Problem p;
      p.diagnostic = d;
      p.diagnostic.message = fmt::format("metricTransformation.{}: {}", d.origin, d.message);
      p.diagnostic.origin = origin;
      p.source = text;
      problems->push_back(std::move(p));
      bad |= d.severity == Severity::kError;
    }
    if (bad) return;
  }
  rule->program = std::move(*program);
}

void CompileQuery(Rule* rule, const std::string& origin, Problems* problems) {
  auto query = Query::Compile(rule->insights_query);
  if (!query) {
    for (const Diagnostic& d : query.error().all()) {
      Problem p;
      p.diagnostic = d;
      p.diagnostic.origin = origin;
      p.source = rule->insights_query;
      problems->push_back(std::move(p));
    }
    return;
  }
  rule->query = std::move(*query);
}

}  // namespace

std::string Problem::Render() const {
  if (source.empty()) {
    return fmt::format("{}: {}: {}\n", diagnostic.origin, SeverityName(diagnostic.severity), diagnostic.message);
  }
  return diagnostic.Render(source);
}

std::string_view BuiltinPackText() {
  return {reinterpret_cast<const char*>(detail::kBuiltinPack), detail::kBuiltinPackSize};
}

std::expected<std::string, ExpandError> Expand(std::string_view text, const Parameters& parameters) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  auto fail = [](size_t begin, size_t end, std::string message) {
    const SourceSpan span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
    return std::unexpected(ExpandError{span, std::move(message)});
  };
  while (i < text.size()) {
    if (text.substr(i, 3) == "$${") {
      out += "${";
      i += 3;
      continue;
    }
    if (text.substr(i, 2) != "${") {
      out += text[i++];
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) return fail(i, text.size(), "'${' without a closing '}'");
    const size_t end = close + 1;
    const std::string_view body = text.substr(i + 2, close - i - 2);
    const size_t bar = body.find('|');
    const std::string_view name = body.substr(0, bar);
    if (!IsValidName(name)) {
      return fail(i, end, fmt::format("bad parameter name '{}': expected [A-Za-z_][A-Za-z0-9_]*", name));
    }
    auto it = parameters.find(name);
    if (it == parameters.end()) return fail(i, end, fmt::format("unknown parameter '{}'", name));
    const Parameter& param = it->second;
    if (bar == std::string_view::npos) {
      if (param.is_list) {
        return fail(i, end,
                    fmt::format("list parameter '{}' used in the scalar form; write ${{{}|TEMPLATE|SEPARATOR}}",
                                name, name));
      }
      out += param.values.empty() ? std::string() : param.values.front();
      i = end;
      continue;
    }
    const size_t bar2 = body.find('|', bar + 1);
    if (bar2 == std::string_view::npos) {
      return fail(i, end, "the list form needs two '|': ${name|TEMPLATE|SEPARATOR}");
    }
    const std::string_view templ = body.substr(bar + 1, bar2 - bar - 1);
    const std::string_view separator = body.substr(bar2 + 1);
    if (templ.find("%s") == std::string_view::npos) return fail(i, end, "the template has no '%s'");
    if (param.values.empty()) return fail(i, end, fmt::format("parameter '{}' is an empty list", name));
    for (size_t k = 0; k < param.values.size(); ++k) {
      const std::string& item = param.values[k];
      const std::string reason = BadItemReason(item);
      if (!reason.empty()) return fail(i, end, fmt::format("parameter '{}' item {} {}", name, k, reason));
      if (k > 0) out += separator;
      size_t pos = 0;
      while (true) {
        const size_t hole = templ.find("%s", pos);
        if (hole == std::string_view::npos) {
          out += templ.substr(pos);
          break;
        }
        out += templ.substr(pos, hole - pos);
        out += item;
        pos = hole + 2;
      }
    }
    i = end;
  }
  return out;
}

std::expected<Pack, Problems> LoadPack(std::string_view text, std::string_view origin_view,
                                       const LoadOptions& options) {
  const std::string origin(origin_view);
  Problems problems;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const size_t byte = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
    std::string message = e.what();
    // nlohmann's text starts "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    if (const size_t colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
    const SourceSpan span{static_cast<uint32_t>(byte), static_cast<uint32_t>(byte + 1)};
    problems.push_back(MakeProblemAt(origin, "the pack is not valid JSON: " + message, span, std::string(text)));
    return std::unexpected(std::move(problems));
  }
  if (!doc.is_object()) {
    problems.push_back(MakeProblem(origin, "a pack must be a JSON object with a 'rules' array"));
    return std::unexpected(std::move(problems));
  }
  Pack pack;
  pack.origin = origin;
  ReadString(doc, "name", &pack.name, origin, &problems);
  ReadString(doc, "version", &pack.version, origin, &problems);
  ReadString(doc, "description", &pack.description, origin, &problems);
  ParseParameters(doc, origin, &pack.parameters, &problems);
  ApplyOverrides(options.overrides, &pack.parameters, &problems);
  if (!doc.contains("rules") || !doc["rules"].is_array() || doc["rules"].empty()) {
    problems.push_back(MakeProblem(origin, "a pack needs a non-empty 'rules' array"));
    return std::unexpected(std::move(problems));
  }
  // Bad parameters make every expansion fail; report them alone.
  if (!problems.empty()) return std::unexpected(std::move(problems));

  std::set<std::string> seen_ids;
  const json& rules = doc["rules"];
  for (size_t index = 0; index < rules.size(); ++index) {
    const json& r = rules[index];
    std::string where = fmt::format("{}#rules[{}]", origin, index);
    if (!r.is_object()) {
      problems.push_back(MakeProblem(where, "a rule must be a JSON object"));
      continue;
    }
    Rule rule;
    if (!r.contains("id") || !r["id"].is_string() || r["id"].get<std::string>().empty()) {
      problems.push_back(MakeProblem(where, "a rule needs a non-empty string 'id'"));
      continue;
    }
    rule.id = r["id"].get<std::string>();
    where = fmt::format("{}#{}", origin, rule.id);
    if (!seen_ids.insert(rule.id).second) {
      problems.push_back(MakeProblem(where, fmt::format("duplicate rule id '{}' (rules[{}])", rule.id, index)));
      continue;
    }
    const size_t before = problems.size();
    ReadString(r, "title", &rule.title, where, &problems);
    if (ReadString(r, "severity", &rule.severity, where, &problems) && rule.severity != "low" &&
        rule.severity != "medium" && rule.severity != "high" && rule.severity != "critical") {
      problems.push_back(MakeProblem(
          where, fmt::format("severity '{}' is not one of low, medium, high, critical", rule.severity)));
    }
    ReadString(r, "description", &rule.description, where, &problems);
    ReadString(r, "falsePositives", &rule.false_positives, where, &problems);
    if (r.contains("references")) {
      if (!r["references"].is_array()) {
        problems.push_back(MakeProblem(where, "'references' must be an array of strings"));
      } else {
        for (const json& ref : r["references"])
          if (ref.is_string()) rule.references.push_back(ref.get<std::string>());
          else problems.push_back(MakeProblem(where, "'references' must be an array of strings"));
      }
    }
    rule.has_filter_pattern = ReadString(r, "filterPattern", &rule.raw_filter_pattern, where, &problems);
    rule.has_insights_query = ReadString(r, "insightsQuery", &rule.raw_insights_query, where, &problems);
    if (!r.contains("filterPattern") && !r.contains("insightsQuery"))
      problems.push_back(MakeProblem(where, "a rule needs a 'filterPattern' or an 'insightsQuery'"));
    rule.metric = ReadMetric(r, where, &problems);
    rule.alarm = ReadAlarm(r, where, &problems);
    ReadTests(r, &rule, where, &problems);
    bool expanded = true;
    if (rule.has_filter_pattern)
      expanded &= ExpandField(rule.raw_filter_pattern, pack.parameters, where, "filterPattern", &rule.filter_pattern,
                              &problems);
    if (rule.has_insights_query)
      expanded &= ExpandField(rule.raw_insights_query, pack.parameters, where, "insightsQuery", &rule.insights_query,
                              &problems);
    if (expanded && rule.has_filter_pattern && options.compile_filter_patterns)
      CompileRule(&rule, where, options.compile_options, &problems);
    if (expanded && rule.has_insights_query && options.compile_insights_queries)
      CompileQuery(&rule, where, &problems);
    if (problems.size() == before) pack.rules.push_back(std::move(rule));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return pack;
}

std::expected<Pack, Problems> LoadPackFile(const std::string& path_or_builtin, const LoadOptions& options) {
  if (path_or_builtin == "builtin") return LoadPack(BuiltinPackText(), "builtin", options);
  std::ifstream in(path_or_builtin, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    return std::unexpected(Problems{MakeProblem(path_or_builtin, "cannot read the pack file")});
  }
  return LoadPack(text.str(), path_or_builtin, options);
}

std::vector<std::string> RunRuleTests(const Rule& rule) {
  std::vector<std::string> failures;
  if (!rule.program) {
    if (!rule.match_tests.empty() || !rule.no_match_tests.empty())
      failures.push_back("the rule has tests but no compiled filter pattern");
    return failures;
  }
  Matcher matcher(*rule.program);
  for (size_t i = 0; i < rule.match_tests.size(); ++i)
    if (!matcher.Match(rule.match_tests[i]).matched)
      failures.push_back(fmt::format("tests.match[{}] did not match", i));
  for (size_t i = 0; i < rule.no_match_tests.size(); ++i)
    if (matcher.Match(rule.no_match_tests[i]).matched) failures.push_back(fmt::format("tests.noMatch[{}] matched", i));
  return failures;
}

}  // namespace cwlf::pack
