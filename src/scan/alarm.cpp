// Alarm replay: a deterministic model of a CloudWatch metric filter feeding a
// metric alarm, run over the scanned events' own times. What it is not: a
// model of ingestion delay, of CloudWatch's extra look-back ("evaluation
// range" longer than evaluationPeriods) or of anomaly-detection alarms.
//
// The semantics implemented, exactly:
//  1. Time. Each event has a time: a CloudTrail record's eventTime, or a log
//     event's timestamp. Events without a time take no part. Periods are
//     [k*P, (k+1)*P) seconds since the epoch, P = alarm.period.
//  2. Metric values (metricTransformation.metricValue). A number ("1", "2.5")
//     publishes that number for every match. "$.selector" (JSON patterns)
//     publishes the selected field of the matched event when it is a JSON
//     number or a string that reads fully as a number ("11.5"); anything else
//     publishes nothing for that match (aws-semantics D.7). "$name" / "$N"
//     (space-delimited patterns) takes the extracted field the same way.
//  3. Datapoints. For period k: if any match published a value in k, the
//     statistic over those values (Sum, SampleCount, Average, Minimum,
//     Maximum). Otherwise, if some event (matched or not) fell in k and
//     defaultValue is set, the statistic over the single value defaultValue
//     (SampleCount gives 1). Otherwise the datapoint is missing (no events in
//     k, or no defaultValue).
//  4. Breaching. A datapoint breaches when `value OP threshold` holds, OP from
//     comparisonOperator (>=, >, <, <=).
//  5. Evaluation. The alarm starts in INSUFFICIENT_DATA and is evaluated at
//     the end of every period from the first to the last period that holds a
//     scanned event (so "breaching" never fires on the silence after the scan
//     ends). The window is the N = evaluationPeriods most recent periods,
//     periods before the first event counting as missing. With B breaching
//     datapoints, D present and X = N - D missing, M = datapointsToAlarm:
//       notBreaching: ALARM if B >= M, else OK.
//       breaching:    ALARM if B + X >= M, else OK.
//       missing:      INSUFFICIENT_DATA if D = 0; ALARM if B >= M; the state is
//                     kept if B < M <= B + X (the missing points could still
//                     decide it: CloudWatch avoids premature transitions);
//                     else OK.
//       ignore:       as missing, except that D = 0 keeps the current state.
//     When no datapoint is missing all four agree: ALARM if B >= M, else OK.
//  6. Output. Every change into ALARM (from OK or INSUFFICIENT_DATA) is
//     reported with its window [start of the oldest period, end of the newest)
//     and the window's datapoints; `until` is the end of the first later window
//     whose evaluation left ALARM, if any.
#include "scan/alarm.hpp"

#include <algorithm>

namespace cwlf::scan {

namespace {

double Statistic(const std::string& statistic, const PeriodStats& s) {
  if (statistic == "SampleCount") return static_cast<double>(s.samples);
  if (statistic == "Average") return s.sum / static_cast<double>(s.samples);
  if (statistic == "Minimum") return s.min;
  if (statistic == "Maximum") return s.max;
  return s.sum;
}

bool Breaches(const pack::Alarm& alarm, double value) {
  const std::string& op = alarm.comparison_operator;
  if (op == "GreaterThanThreshold") return value > alarm.threshold;
  if (op == "LessThanThreshold") return value < alarm.threshold;
  if (op == "LessThanOrEqualToThreshold") return value <= alarm.threshold;
  return value >= alarm.threshold;  // GreaterThanOrEqualToThreshold
}

}  // namespace

void PeriodStats::Add(double value) {
  if (samples == 0) {
    min = max = value;
  } else {
    min = std::min(min, value);
    max = std::max(max, value);
  }
  ++samples;
  sum += value;
}

std::string_view AlarmStateName(AlarmState state) {
  switch (state) {
    case AlarmState::kInsufficientData: return "INSUFFICIENT_DATA";
    case AlarmState::kOk: return "OK";
    case AlarmState::kAlarm: return "ALARM";
  }
  return "INSUFFICIENT_DATA";
}

int64_t PeriodIndex(int64_t time_ms, int64_t period_seconds) {
  const int64_t span = period_seconds * 1000;
  int64_t k = time_ms / span;
  if (time_ms % span < 0) --k;
  return k;
}

std::optional<double> Datapoint(const AlarmReplayInput& input, int64_t k) {
  if (auto it = input.matches.find(k); it != input.matches.end() && it->second.samples > 0)
    return Statistic(input.alarm.statistic, it->second);
  if (input.default_value && input.event_periods.count(k) > 0) {
    PeriodStats one;
    one.Add(*input.default_value);
    return Statistic(input.alarm.statistic, one);
  }
  return std::nullopt;
}

std::vector<AlarmTransition> ReplayAlarm(const AlarmReplayInput& input) {
  std::vector<AlarmTransition> transitions;
  if (input.event_periods.empty()) return transitions;
  const pack::Alarm& alarm = input.alarm;
  const int64_t n = std::max(1, alarm.evaluation_periods);
  const int64_t m = std::clamp<int64_t>(alarm.datapoints_to_alarm, 1, n);
  const int64_t first = *input.event_periods.begin();
  const int64_t last = *input.event_periods.rbegin();
  const int64_t span_ms = alarm.period * 1000;
  const std::string& treat = alarm.treat_missing_data;
  AlarmState state = AlarmState::kInsufficientData;
  bool open = false;  // the last transition has no `until` yet
  // The window's datapoints, kept sliding.
  std::vector<std::optional<double>> window(n - 1, std::nullopt);  // before the first event
  for (int64_t k = first; k <= last; ++k) {
    window.push_back(Datapoint(input, k));
    if (static_cast<int64_t>(window.size()) > n) window.erase(window.begin());
    int64_t present = 0, breaching = 0;
    for (const auto& d : window) {
      if (!d) continue;
      ++present;
      if (Breaches(alarm, *d)) ++breaching;
    }
    const int64_t missing = n - present;
    AlarmState next = state;
    if (treat == "breaching") {
      next = breaching + missing >= m ? AlarmState::kAlarm : AlarmState::kOk;
    } else if (treat == "notBreaching" || missing == 0) {
      next = breaching >= m ? AlarmState::kAlarm : AlarmState::kOk;
    } else if (present == 0) {
      next = treat == "ignore" ? state : AlarmState::kInsufficientData;
    } else if (breaching >= m) {
      next = AlarmState::kAlarm;
    } else if (breaching + missing >= m) {
      next = state;
    } else {
      next = AlarmState::kOk;
    }
    if (next == state) continue;
    if (next == AlarmState::kAlarm) {
      AlarmTransition t;
      t.from = state;
      t.window_start_ms = (k - n + 1) * span_ms;
      t.window_end_ms = (k + 1) * span_ms;
      t.datapoints = window;
      transitions.push_back(std::move(t));
      open = true;
    } else if (open) {
      transitions.back().until_ms = (k + 1) * span_ms;
      open = false;
    }
    state = next;
  }
  return transitions;
}

}  // namespace cwlf::scan
