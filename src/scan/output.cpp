// Formatting of scan results with fmt and nlohmann's ordered_json (key order
// is part of the output contract). No I/O here.
#include "scan/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace cwlf::scan {

namespace {

using nlohmann::ordered_json;

std::string Dump(const ordered_json& j) { return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

// A simdjson value as JSON (scalars as themselves, containers re-read).
ordered_json ToJson(simdjson::dom::element e) {
  std::string_view s;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  bool b = false;
  switch (e.type()) {
    case simdjson::dom::element_type::STRING:
      return e.get_string().get(s) ? ordered_json(nullptr) : ordered_json(std::string(s));
    case simdjson::dom::element_type::INT64: return e.get_int64().get(i) ? ordered_json(nullptr) : ordered_json(i);
    case simdjson::dom::element_type::UINT64: return e.get_uint64().get(u) ? ordered_json(nullptr) : ordered_json(u);
    case simdjson::dom::element_type::DOUBLE: return e.get_double().get(d) ? ordered_json(nullptr) : ordered_json(d);
    case simdjson::dom::element_type::BOOL: return e.get_bool().get(b) ? ordered_json(nullptr) : ordered_json(b);
    case simdjson::dom::element_type::NULL_VALUE: return nullptr;
    default: return ordered_json::parse(simdjson::minify(e), nullptr, false);
  }
}

// The value at a pointer of object keys ("/userIdentity/arn"); a repeated
// key gives its last value, as matching reads it (R-J10).
ordered_json Field(const simdjson::dom::element* record, std::string_view pointer) {
  if (record == nullptr) return nullptr;
  simdjson::dom::element value = *record;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // '/'
    const std::string_view key = pointer.substr(0, pointer.find('/'));
    pointer.remove_prefix(key.size());
    simdjson::dom::object object;
    if (value.get_object().get(object)) return nullptr;
    bool found = false;
    for (const auto field : object) {
      if (field.key == key) {
        value = field.value;
        found = true;
      }
    }
    if (!found) return nullptr;
  }
  return ToJson(value);
}

std::string TimeText(int64_t ms) { return ms == kNoTime ? "-" : FormatIso8601(ms); }

std::string FormatBytes(uint64_t bytes) {
  if (bytes >= 10'000'000) return fmt::format("{:.0f} MB", bytes / 1e6);
  if (bytes >= 1'000'000) return fmt::format("{:.1f} MB", bytes / 1e6);
  if (bytes >= 1'000) return fmt::format("{:.1f} kB", bytes / 1e3);
  return fmt::format("{} B", bytes);
}

// Appends a table row without the padding after its last column.
void AppendRow(std::string* out, std::string row) {
  while (!row.empty() && row.back() == ' ') row.pop_back();
  *out += row;
  *out += '\n';
}

std::string Datapoints(const std::vector<std::optional<double>>& points) {
  std::string out = "[";
  for (size_t i = 0; i < points.size(); ++i) {
    if (i > 0) out += ", ";
    out += points[i] ? fmt::format("{:g}", *points[i]) : "-";
  }
  return out + "]";
}

}  // namespace

std::string FormatMatchLine(const HitContext& hit, std::string_view rule_id, std::string_view file) {
  ordered_json line;
  line["rule"] = std::string(rule_id);
  line["file"] = std::string(file);
  line["record"] = hit.event->record;
  ordered_json time = Field(hit.record, "/eventTime");
  if (time.is_null() && hit.event->time_ms != kNoTime) time = FormatIso8601(hit.event->time_ms);
  line["eventTime"] = std::move(time);
  line["eventName"] = Field(hit.record, "/eventName");
  line["eventSource"] = Field(hit.record, "/eventSource");
  line["eventID"] = Field(hit.record, "/eventID");
  line["userIdentity.arn"] = Field(hit.record, "/userIdentity/arn");
  line["sourceIPAddress"] = Field(hit.record, "/sourceIPAddress");
  return Dump(line) + "\n";
}

std::string FormatAlarmLine(const pack::Rule& rule, const AlarmTransition& t) {
  ordered_json line;
  line["alarm"] = rule.id;
  line["metricName"] = rule.metric ? ordered_json(rule.metric->metric_name) : ordered_json(nullptr);
  line["from"] = std::string(AlarmStateName(t.from));
  line["to"] = "ALARM";
  line["windowStart"] = FormatIso8601(t.window_start_ms);
  line["windowEnd"] = FormatIso8601(t.window_end_ms);
  line["until"] = t.until_ms ? ordered_json(FormatIso8601(*t.until_ms)) : ordered_json(nullptr);
  ordered_json points = ordered_json::array();
  for (const auto& d : t.datapoints) points.push_back(d ? ordered_json(*d) : ordered_json(nullptr));
  line["datapoints"] = std::move(points);
  line["threshold"] = rule.alarm->threshold;
  line["comparisonOperator"] = rule.alarm->comparison_operator;
  return Dump(line) + "\n";
}

std::string FormatSummaryJson(const ScanReport& report) {
  ordered_json summary;
  summary["events"] = report.totals->events;
  summary["bytes"] = report.totals->bytes;
  summary["malformed"] = report.malformed;
  summary["files"] = report.files;
  summary["seconds"] = std::round(report.seconds * 1000) / 1000;
  ordered_json rules = ordered_json::object();
  for (size_t r = 0; r < report.rules.size(); ++r) rules[report.rules[r]->id] = report.totals->rules[r].matches;
  summary["rules"] = std::move(rules);
  return Dump(summary) + "\n";
}

std::string FormatTable(const ScanReport& report) {
  const ScanTotals& totals = *report.totals;
  size_t id_width = 4;
  for (const pack::Rule* rule : report.rules) id_width = std::max(id_width, rule->id.size());
  std::string out;
  AppendRow(&out, fmt::format("{:<{}}  {:<8}  {:>7}  {:<20}  {:<20}", "RULE", id_width, "SEVERITY", "MATCHES",
                              "FIRST", "LAST"));
  for (size_t r = 0; r < report.rules.size(); ++r) {
    const pack::Rule& rule = *report.rules[r];
    const RuleTotals& t = totals.rules[r];
    AppendRow(&out, fmt::format("{:<{}}  {:<8}  {:>7}  {:<20}  {:<20}", rule.id, id_width,
                                rule.severity.empty() ? "-" : rule.severity, t.matches, TimeText(t.first_ms),
                                TimeText(t.last_ms)));
  }
  const double rate = report.seconds > 0 ? totals.events / report.seconds : 0;
  out += fmt::format("\n{} events ({}) in {} file{}, {} malformed, {:.2f} s ({:.0f} events/s)\n", totals.events,
                     FormatBytes(totals.bytes), report.files, report.files == 1 ? "" : "s", report.malformed,
                     report.seconds, rate);
  if (!report.alarms_requested) return out;
  size_t transitions = 0;
  for (const RuleAlarms& a : report.alarms) transitions += a.transitions.size();
  out += fmt::format("\nalarms: {} transition{} into ALARM ({} alarm{} replayed)\n", transitions,
                     transitions == 1 ? "" : "s", report.alarms.size(), report.alarms.size() == 1 ? "" : "s");
  if (transitions == 0) return out;
  out += fmt::format("{:<{}}  {:<17}  {:<20}  {:<20}  {:<20}  {}\n", "RULE", id_width, "FROM", "WINDOW START",
                     "WINDOW END", "BACK TO OK", "DATAPOINTS");
  for (const RuleAlarms& a : report.alarms) {
    for (const AlarmTransition& t : a.transitions) {
      out += fmt::format("{:<{}}  {:<17}  {:<20}  {:<20}  {:<20}  {}\n", report.rules[a.rule]->id, id_width,
                         AlarmStateName(t.from), FormatIso8601(t.window_start_ms), FormatIso8601(t.window_end_ms),
                         t.until_ms ? FormatIso8601(*t.until_ms) : "-", Datapoints(t.datapoints));
    }
  }
  return out;
}

}  // namespace cwlf::scan
