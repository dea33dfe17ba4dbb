// Alarm replay on hand-built timelines: datapoints per statistic, the default
// value, M of N, and the four treatMissingData behaviours (alarm.cpp).
#include <gtest/gtest.h>

#include "scan/alarm.hpp"
#include "scan/time.hpp"

namespace cwlf::scan {
namespace {

constexpr int64_t kMs = 300 * 1000;  // one 300 s period

AlarmReplayInput Timeline(int64_t first_period, int64_t last_period) {
  AlarmReplayInput in;
  in.alarm.statistic = "Sum";
  in.alarm.period = 300;
  in.alarm.evaluation_periods = 1;
  in.alarm.datapoints_to_alarm = 1;
  in.alarm.threshold = 1;
  in.alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
  in.alarm.treat_missing_data = "notBreaching";
  for (int64_t k = first_period; k <= last_period; ++k) in.event_periods.insert(k);
  return in;
}

void AddMatches(AlarmReplayInput* in, int64_t period, std::vector<double> values) {
  for (double v : values) in->matches[period].Add(v);
}

// semantics: R-S3 (datapoints), R-S4 (evaluation)
TEST(Alarm, ThreeMatchesInOnePeriodRaiseOneAlarm) {
  AlarmReplayInput in = Timeline(0, 5);
  in.default_value = 0;
  AddMatches(&in, 2, {1, 1, 1});
  const auto t = ReplayAlarm(in);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].from, AlarmState::kOk);
  EXPECT_EQ(t[0].window_start_ms, 2 * kMs);
  EXPECT_EQ(t[0].window_end_ms, 3 * kMs);
  ASSERT_EQ(t[0].datapoints.size(), 1u);
  EXPECT_EQ(t[0].datapoints[0], 3.0);
  EXPECT_EQ(t[0].until_ms, 4 * kMs);
}

// semantics: R-S2 (event time)
TEST(Alarm, RealTimesAndPeriodAlignment) {
  // 2025-03-03T08:01:00Z .. 08:04:59Z is the period starting 08:00:00Z.
  const int64_t t1 = *ParseIso8601("2025-03-03T08:01:00Z");
  const int64_t t2 = *ParseIso8601("2025-03-03T08:04:59Z");
  EXPECT_EQ(PeriodIndex(t1, 300), PeriodIndex(t2, 300));
  EXPECT_NE(PeriodIndex(t2, 300), PeriodIndex(t2 + 1000, 300));
  EXPECT_EQ(PeriodIndex(-1, 300), -1);
  AlarmReplayInput in = Timeline(PeriodIndex(t1, 300), PeriodIndex(t1, 300));
  AddMatches(&in, PeriodIndex(t1, 300), {1});
  const auto t = ReplayAlarm(in);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].from, AlarmState::kInsufficientData);  // the very first evaluation breaches
  EXPECT_EQ(FormatIso8601(t[0].window_start_ms), "2025-03-03T08:00:00Z");
  EXPECT_EQ(FormatIso8601(t[0].window_end_ms), "2025-03-03T08:05:00Z");
  EXPECT_FALSE(t[0].until_ms.has_value());
}

TEST(Alarm, SeparateBurstsGiveSeparateTransitions) {
  AlarmReplayInput in = Timeline(0, 9);
  in.default_value = 0;
  AddMatches(&in, 1, {1});
  AddMatches(&in, 2, {1});  // still ALARM: no new transition
  AddMatches(&in, 6, {2});
  const auto t = ReplayAlarm(in);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].window_start_ms, 1 * kMs);
  EXPECT_EQ(t[0].until_ms, 4 * kMs);
  EXPECT_EQ(t[1].window_start_ms, 6 * kMs);
}

TEST(Alarm, BelowThresholdNeverAlarms) {
  AlarmReplayInput in = Timeline(0, 3);
  in.alarm.threshold = 5;
  AddMatches(&in, 1, {1, 1, 1, 1});
  EXPECT_TRUE(ReplayAlarm(in).empty());
  AddMatches(&in, 2, {5});
  EXPECT_EQ(ReplayAlarm(in).size(), 1u);
  in.alarm.comparison_operator = "GreaterThanThreshold";
  EXPECT_TRUE(ReplayAlarm(in).empty());
}

TEST(Alarm, Statistics) {
  AlarmReplayInput in = Timeline(0, 2);
  AddMatches(&in, 0, {2, 4, 9});
  in.alarm.statistic = "Sum";
  EXPECT_EQ(Datapoint(in, 0), 15.0);
  in.alarm.statistic = "SampleCount";
  EXPECT_EQ(Datapoint(in, 0), 3.0);
  in.alarm.statistic = "Average";
  EXPECT_EQ(Datapoint(in, 0), 5.0);
  in.alarm.statistic = "Minimum";
  EXPECT_EQ(Datapoint(in, 0), 2.0);
  in.alarm.statistic = "Maximum";
  EXPECT_EQ(Datapoint(in, 0), 9.0);
  // Events but no match: the default value (one sample of it), else missing.
  EXPECT_EQ(Datapoint(in, 1), std::nullopt);
  in.default_value = 0.5;
  EXPECT_EQ(Datapoint(in, 1), 0.5);
  in.alarm.statistic = "SampleCount";
  EXPECT_EQ(Datapoint(in, 1), 1.0);
  // No events at all: missing even with a default.
  EXPECT_EQ(Datapoint(in, 7), std::nullopt);
}

TEST(Alarm, LessThanAlarmsOnLowValues) {
  AlarmReplayInput in = Timeline(0, 3);
  in.default_value = 0;
  in.alarm.comparison_operator = "LessThanThreshold";
  AddMatches(&in, 0, {3});
  AddMatches(&in, 1, {3});
  const auto t = ReplayAlarm(in);  // period 2 gets the default 0 < 1
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].window_start_ms, 2 * kMs);
  EXPECT_EQ(t[0].from, AlarmState::kOk);
  in.alarm.comparison_operator = "LessThanOrEqualToThreshold";
  in.alarm.threshold = 3;
  EXPECT_EQ(ReplayAlarm(in)[0].window_start_ms, 0);
}

// A sparse metric (no defaultValue): values 5 in periods 2 and 4 only, events
// in periods 0..9, 2 of 3 to alarm.
AlarmReplayInput Sparse(const char* treat) {
  AlarmReplayInput in = Timeline(0, 9);
  in.alarm.evaluation_periods = 3;
  in.alarm.datapoints_to_alarm = 2;
  in.alarm.treat_missing_data = treat;
  AddMatches(&in, 2, {5});
  AddMatches(&in, 4, {5});
  return in;
}

TEST(Alarm, TreatMissingAsNotBreaching) {
  const auto t = ReplayAlarm(Sparse("notBreaching"));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].from, AlarmState::kOk);
  EXPECT_EQ(t[0].window_start_ms, 2 * kMs);
  EXPECT_EQ(t[0].window_end_ms, 5 * kMs);
  EXPECT_EQ(t[0].datapoints, (std::vector<std::optional<double>>{5.0, std::nullopt, 5.0}));
  EXPECT_EQ(t[0].until_ms, 6 * kMs);
}

TEST(Alarm, TreatMissingAsBreaching) {
  const auto t = ReplayAlarm(Sparse("breaching"));
  ASSERT_EQ(t.size(), 1u);  // ALARM from the first evaluation, never left
  EXPECT_EQ(t[0].from, AlarmState::kInsufficientData);
  EXPECT_EQ(t[0].window_start_ms, -2 * kMs);
  EXPECT_EQ(t[0].window_end_ms, 1 * kMs);
  EXPECT_FALSE(t[0].until_ms.has_value());
}

TEST(Alarm, TreatMissingAsMissing) {
  const auto t = ReplayAlarm(Sparse("missing"));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].from, AlarmState::kInsufficientData);  // never OK: undecided windows keep the state
  EXPECT_EQ(t[0].window_start_ms, 2 * kMs);
  EXPECT_EQ(t[0].until_ms, 8 * kMs);  // window 5..7 is all missing: INSUFFICIENT_DATA
}

TEST(Alarm, TreatMissingAsIgnore) {
  const auto t = ReplayAlarm(Sparse("ignore"));
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].from, AlarmState::kInsufficientData);
  EXPECT_EQ(t[0].window_start_ms, 2 * kMs);
  EXPECT_FALSE(t[0].until_ms.has_value());  // all-missing windows keep ALARM
}

TEST(Alarm, MissingLeavesAlarmForOkOnGoodData) {
  AlarmReplayInput in = Sparse("missing");
  AddMatches(&in, 7, {0});  // a real, non-breaching point in an otherwise missing window
  AddMatches(&in, 8, {0});
  const auto t = ReplayAlarm(in);
  ASSERT_EQ(t.size(), 1u);
  // Window 5..7 (one good point, two missing) could still reach 2 of 3: kept.
  // Window 6..8 has two good points: OK at the end of period 8.
  EXPECT_EQ(t[0].until_ms, 9 * kMs);
}

TEST(Alarm, NoEventsNoEvaluation) {
  AlarmReplayInput in = Timeline(0, -1);
  EXPECT_TRUE(ReplayAlarm(in).empty());
  in.alarm.treat_missing_data = "breaching";
  EXPECT_TRUE(ReplayAlarm(in).empty());
}

TEST(Alarm, StateNames) {
  EXPECT_EQ(AlarmStateName(AlarmState::kOk), "OK");
  EXPECT_EQ(AlarmStateName(AlarmState::kAlarm), "ALARM");
  EXPECT_EQ(AlarmStateName(AlarmState::kInsufficientData), "INSUFFICIENT_DATA");
}

}  // namespace
}  // namespace cwlf::scan
