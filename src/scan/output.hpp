// What `cwlf scan` prints: the per-rule table (with its "alarms" section),
// one JSON line per match or alarm transition (--format jsonl), and the
// summary object (--summary json). Pure formatting: nothing here reads input
// or writes to a stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scan/alarm.hpp"
#include "scan/scanner.hpp"

namespace cwlf::scan {

struct RuleAlarms {
  size_t rule = 0;  // index into the scanned rules
  std::vector<AlarmTransition> transitions;
};

struct ScanReport {
  std::vector<const pack::Rule*> rules;
  const ScanTotals* totals = nullptr;
  uint64_t malformed = 0;
  uint64_t files = 0;
  double seconds = 0;
  bool alarms_requested = false;
  std::vector<RuleAlarms> alarms;  // rules whose alarm was replayed
};

// {"rule","file","record","eventTime","eventName","eventSource","eventID",
//  "userIdentity.arn","sourceIPAddress"} and a newline; missing fields are
// null. eventTime is the record's own, else the event time, else null.
std::string FormatMatchLine(const HitContext& hit, std::string_view rule_id, std::string_view file);

// {"alarm","metricName","from","to","windowStart","windowEnd","until",
//  "datapoints","threshold","comparisonOperator"} and a newline.
std::string FormatAlarmLine(const pack::Rule& rule, const AlarmTransition& t);

// Exactly {"events":N,"bytes":N,"malformed":N,"files":N,"seconds":S,
// "rules":{"<id>":count,...}} in pack order, and a newline.
std::string FormatSummaryJson(const ScanReport& report);

// The readable table: rule, severity, matches, first and last event time for
// every rule; a totals line; then the "alarms" section when requested.
std::string FormatTable(const ScanReport& report);

}  // namespace cwlf::scan
