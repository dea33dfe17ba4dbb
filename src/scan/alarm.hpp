// Alarm replay for `cwlf scan --alarms`: turns one rule's matches into the
// metric its metricTransformation would publish and evaluates its alarm over
// event time, period by period. The exact semantics are in alarm.cpp's header
// comment. Not a CloudWatch client and not a metric store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "pack/pack.hpp"

namespace cwlf::scan {

// The metric values of one period.
struct PeriodStats {
  uint64_t samples = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  void Add(double value);
};

enum class AlarmState { kInsufficientData, kOk, kAlarm };
std::string_view AlarmStateName(AlarmState state);  // "INSUFFICIENT_DATA", "OK", "ALARM"

// One transition into ALARM.
struct AlarmTransition {
  AlarmState from = AlarmState::kOk;
  int64_t window_start_ms = 0;  // start of the first period of the evaluation window
  int64_t window_end_ms = 0;    // end of its last period (exclusive)
  std::vector<std::optional<double>> datapoints;  // oldest first, nullopt = missing
  std::optional<int64_t> until_ms;  // end of the first later window that left ALARM
};

struct AlarmReplayInput {
  pack::Alarm alarm;
  std::optional<double> default_value;         // metricTransformation.defaultValue
  std::map<int64_t, PeriodStats> matches;      // by period index (epoch s / period)
  std::set<int64_t> event_periods;             // periods with any scanned event
};

// The datapoint of one period: the statistic over the match values; else the
// default value when the period saw events; else missing.
std::optional<double> Datapoint(const AlarmReplayInput& input, int64_t period_index);

// Every transition into ALARM, in time order.
std::vector<AlarmTransition> ReplayAlarm(const AlarmReplayInput& input);

// The period index of an event time.
int64_t PeriodIndex(int64_t time_ms, int64_t period_seconds);

}  // namespace cwlf::scan
