// The scanner and its output: the same totals and match lines in input order
// whatever the thread count, metric values for alarm replay, and the exact
// shapes of the summary object, match lines and alarm lines.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>

#include "scan/output.hpp"
#include "scan/scanner.hpp"

namespace cwlf::scan {
namespace {

std::vector<const pack::Rule*> RulePointers(const pack::Pack& pack) {
  std::vector<const pack::Rule*> out;
  for (const pack::Rule& r : pack.rules) out.push_back(&r);
  return out;
}

// Every built-in rule's test records, as one NDJSON input.
std::string BuiltinTestEvents(const pack::Pack& pack) {
  std::string text;
  for (int copy = 0; copy < 40; ++copy) {
    for (const pack::Rule& rule : pack.rules) {
      for (const std::string& e : rule.match_tests) text += e + "\n";
      for (const std::string& e : rule.no_match_tests) text += e + "\n";
    }
  }
  return text;
}

// Feeds `scanner` through a Reader that `read` runs, then finishes it; a
// part the reader itself finds malformed fails the test.
void Feed(Scanner& scanner, const std::function<void(Reader&)>& read) {
  Reader::Sink sink;
  sink.batch = [&](Batch&& b) { scanner.Submit(std::move(b)); };
  sink.malformed = [](const Malformed&) { ADD_FAILURE() << "reader malformed"; };
  Reader reader(0, std::move(sink));
  read(reader);
  scanner.Finish();
}

struct ScanRun {
  ScanTotals totals;
  std::vector<std::string> lines;
};

ScanRun ScanText(const pack::Pack& pack, const std::string& text, int threads, bool alarms = false) {
  ScanRun run;
  ScanConfig config;
  config.threads = threads;
  config.alarms = alarms;
  const auto rules = RulePointers(pack);
  config.format_hit = [&rules](const HitContext& hit) {
    return FormatMatchLine(hit, rules[hit.rule]->id, "input.jsonl");
  };
  config.emit = [&run](const std::string& line) { run.lines.push_back(line); };
  Scanner scanner(rules, config);
  Feed(scanner, [&](Reader& reader) { reader.RunText(text); });
  run.totals = scanner.totals();
  return run;
}

TEST(Scanner, ThreadCountDoesNotChangeResultsOrOrder) {
  auto pack = pack::LoadPackFile("builtin");
  ASSERT_TRUE(pack);
  const std::string text = BuiltinTestEvents(*pack);
  const ScanRun inline_run = ScanText(*pack, text, 0, true);
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(threads);
    const ScanRun run = ScanText(*pack, text, threads, true);
    EXPECT_EQ(run.totals.events, inline_run.totals.events);
    EXPECT_EQ(run.totals.bytes, inline_run.totals.bytes);
    ASSERT_EQ(run.totals.rules.size(), inline_run.totals.rules.size());
    for (size_t r = 0; r < run.totals.rules.size(); ++r) {
      EXPECT_EQ(run.totals.rules[r].matches, inline_run.totals.rules[r].matches);
      EXPECT_EQ(run.totals.rules[r].first_ms, inline_run.totals.rules[r].first_ms);
      EXPECT_EQ(run.totals.rules[r].last_ms, inline_run.totals.rules[r].last_ms);
      EXPECT_EQ(run.totals.rules[r].periods.size(), inline_run.totals.rules[r].periods.size());
    }
    EXPECT_EQ(run.lines, inline_run.lines);
  }
  // Without alarms a match's time comes from the RuleSet's capture, not from
  // a second parse: the same first and last times.
  const ScanRun plain = ScanText(*pack, text, 1, false);
  for (size_t r = 0; r < plain.totals.rules.size(); ++r) {
    EXPECT_EQ(plain.totals.rules[r].first_ms, inline_run.totals.rules[r].first_ms) << pack->rules[r].id;
    EXPECT_EQ(plain.totals.rules[r].last_ms, inline_run.totals.rules[r].last_ms) << pack->rules[r].id;
  }
  // Each rule matched at least its own match records, 40 times over.
  for (size_t r = 0; r < pack->rules.size(); ++r)
    EXPECT_GE(inline_run.totals.rules[r].matches, 40 * pack->rules[r].match_tests.size()) << pack->rules[r].id;
  size_t events = 0;
  for (const pack::Rule& rule : pack->rules) events += rule.match_tests.size() + rule.no_match_tests.size();
  EXPECT_EQ(inline_run.totals.events, 40 * events);
}

TEST(Scanner, MetricValuesFeedAlarmPeriods) {
  const char* pack_text = R"({"rules": [{
      "id": "slow", "filterPattern": "{ $.kind = \"req\" }",
      "metricTransformation": {"metricName": "Latency", "metricNamespace": "App", "metricValue": "$.latency"},
      "alarm": {"statistic": "Maximum", "period": 60, "evaluationPeriods": 1, "threshold": 500,
                "comparisonOperator": "GreaterThanThreshold", "treatMissingData": "notBreaching"}}]})";
  auto pack = pack::LoadPack(pack_text, "p");
  ASSERT_TRUE(pack) << pack.error().front().Render();
  const std::string text =
      "{\"eventTime\":\"2025-03-03T08:00:01Z\",\"kind\":\"req\",\"latency\":150}\n"
      "{\"eventTime\":\"2025-03-03T08:00:30Z\",\"kind\":\"req\",\"latency\":\"700\"}\n"
      "{\"eventTime\":\"2025-03-03T08:00:40Z\",\"kind\":\"req\",\"latency\":\"banana\"}\n"
      "{\"eventTime\":\"2025-03-03T08:00:50Z\",\"kind\":\"other\",\"latency\":9000}\n"
      "{\"eventTime\":\"2025-03-03T08:01:10Z\",\"kind\":\"req\",\"latency\":120}\n";
  const ScanRun run = ScanText(*pack, text, 0, true);
  const RuleTotals& t = run.totals.rules[0];
  EXPECT_EQ(t.matches, 4u);
  ASSERT_EQ(t.periods.size(), 2u);
  const PeriodStats& first = t.periods.begin()->second;
  EXPECT_EQ(first.samples, 2u);  // 150 and "700"; "banana" publishes nothing
  EXPECT_EQ(first.max, 700);
  EXPECT_EQ(t.periods.rbegin()->second.max, 120);
  const auto& periods = run.totals.event_periods.at(60);
  EXPECT_EQ(periods.size(), 2u);
  AlarmReplayInput in;
  in.alarm = *pack->rules[0].alarm;
  in.matches = t.periods;
  in.event_periods = periods;
  const auto transitions = ReplayAlarm(in);
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_EQ(FormatIso8601(transitions[0].window_start_ms), "2025-03-03T08:00:00Z");
  EXPECT_EQ(FormatIso8601(*transitions[0].until_ms), "2025-03-03T08:02:00Z");
}

// R-S5: a line no rule can match is not parsed; by default it is only checked
// to be "{...}", with validate_all every line is parsed.
TEST(Scanner, UnparsedLinesAreCheckedByOutlineUnlessValidateAll) {
  auto pack = pack::LoadPack(R"({"rules": [{"id": "login", "filterPattern": "{ $.eventName = \"ConsoleLogin\" }"}]})", "p");
  ASSERT_TRUE(pack);
  const std::string text =
      "{\"eventName\":\"ConsoleLogin\"}\n"
      "{\"eventName\":\"GetObject\", broken}\n"   // no literal, outline fine: counted unless validated
      "{\"eventName\":\"GetObject\"\n"             // cut: malformed either way
      "{\"eventName\":\"ConsoleLogin\", broken}\n" // parsed: malformed either way
      "{\"eventName\":\"PutObject\"}\n";
  for (const bool validate_all : {false, true}) {
    SCOPED_TRACE(validate_all);
    ScanConfig config;
    config.threads = 0;
    config.validate_all = validate_all;
    std::vector<uint64_t> bad_lines;
    config.malformed = [&](uint32_t, uint64_t line, const std::string&) { bad_lines.push_back(line); };
    Scanner scanner(RulePointers(*pack), config);
    Feed(scanner, [&](Reader& reader) { reader.RunText(text); });
    EXPECT_EQ(scanner.totals().rules[0].matches, 1u);
    EXPECT_EQ(bad_lines, validate_all ? (std::vector<uint64_t>{2, 3, 4}) : (std::vector<uint64_t>{3, 4}));
    EXPECT_EQ(scanner.totals().events, validate_all ? 2u : 3u);
  }
}

// A delivery file's records are validated and timed by the workers: a bad
// record is reported as the careful reader reported it, and matches keep
// their eventTime.
TEST(Scanner, RecordsFileRecordsAreCheckedAndTimedByTheWorkers) {
  auto pack = pack::LoadPack(R"({"rules": [{"id": "any", "filterPattern": "{ $.eventName = * }"}]})", "p");
  ASSERT_TRUE(pack);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cwlf_scanner_records_" + std::to_string(getpid()) + ".json"))
          .string();
  std::ofstream(path) << "{\"Records\": [\n"
                         "{\"eventTime\":\"2025-03-03T08:00:01Z\",\"eventName\":\"A\"},\n"
                         "{\"eventTime\":\"2025-03-03T08:00:02Z\",\"eventName\":\"B\",\"x\":tru},\n"
                         "{\"eventTime\":\"2025-03-03T08:00:03Z\",\"eventName\":\"C\"}]}\n";
  for (const bool alarms : {false, true}) {
    SCOPED_TRACE(alarms);
    ScanConfig config;
    config.threads = 1;
    config.alarms = alarms;
    std::vector<std::pair<uint64_t, std::string>> bad;
    config.malformed = [&](uint32_t, uint64_t line, const std::string& why) { bad.emplace_back(line, why); };
    Scanner scanner(RulePointers(*pack), config);
    ByteStream stream;
    ASSERT_TRUE(stream.Open(path));
    Feed(scanner, [&](Reader& reader) { reader.Run(stream); });
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0].first, 3u);
    EXPECT_EQ(bad[0].second.rfind("record 1: invalid JSON", 0), 0u) << bad[0].second;
    const RuleTotals& t = scanner.totals().rules[0];
    EXPECT_EQ(t.matches, 2u);
    EXPECT_EQ(FormatIso8601(t.first_ms), "2025-03-03T08:00:01Z");
    EXPECT_EQ(FormatIso8601(t.last_ms), "2025-03-03T08:00:03Z");
  }
  std::filesystem::remove(path);
}

// semantics: R-S2. A repeated eventTime: the last one, whether the time comes
// from the RuleSet's capture (no alarms) or from a parse of its own (alarms).
TEST(Scanner, RepeatedEventTimeTakesTheLast) {
  auto pack = pack::LoadPack(R"({"rules": [{"id": "a", "filterPattern": "{ $.eventName = \"A\" }"}]})", "p");
  ASSERT_TRUE(pack);
  const std::string text =
      "{\"eventTime\":\"2025-03-03T08:00:01Z\",\"eventName\":\"A\",\"eventTime\":\"2025-03-03T09:00:00Z\"}\n";
  for (const bool alarms : {false, true}) {
    const ScanRun run = ScanText(*pack, text, 1, alarms);
    EXPECT_EQ(FormatIso8601(run.totals.rules[0].first_ms), "2025-03-03T09:00:00Z") << alarms;
    ASSERT_EQ(run.lines.size(), 1u);
    EXPECT_NE(run.lines[0].find("\"eventTime\":\"2025-03-03T09:00:00Z\""), std::string::npos) << run.lines[0];
  }
}

TEST(Scanner, NoAlarmBookkeepingWithoutAlarms) {
  auto pack = pack::LoadPackFile("builtin");
  ASSERT_TRUE(pack);
  const ScanRun run = ScanText(*pack, BuiltinTestEvents(*pack), 0, false);
  EXPECT_TRUE(run.totals.event_periods.empty());
  for (const RuleTotals& t : run.totals.rules) EXPECT_TRUE(t.periods.empty());
}

TEST(Output, SummaryJsonIsExact) {
  auto pack = pack::LoadPack(R"({"rules": [{"id": "b", "filterPattern": "B"}, {"id": "a", "filterPattern": "A"}]})",
                             "p");
  ASSERT_TRUE(pack);
  ScanTotals totals;
  totals.events = 12;
  totals.bytes = 3456;
  totals.rules.resize(2);
  totals.rules[0].matches = 7;
  ScanReport report;
  report.rules = RulePointers(*pack);
  report.totals = &totals;
  report.malformed = 2;
  report.files = 3;
  report.seconds = 1.23456;
  EXPECT_EQ(FormatSummaryJson(report),
            "{\"events\":12,\"bytes\":3456,\"malformed\":2,\"files\":3,\"seconds\":1.235,"
            "\"rules\":{\"b\":7,\"a\":0}}\n");
}

TEST(Output, MatchLineFields) {
  const char* record =
      R"({"eventTime":"2025-03-03T08:15:02Z","eventName":"CreateUser","eventSource":"iam.amazonaws.com",)"
      R"("eventID":"e-1","userIdentity":{"arn":"arn:aws:iam::123456789012:user/x"},"sourceIPAddress":"192.0.2.66"})";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(record, std::strlen(record)).get(doc));
  Batch batch;
  EventRef event{0, 0, 1740989702000, 17};
  const std::string line = FormatMatchLine(HitContext{0, &batch, &event, &doc}, "iam-x", "f.json.gz");
  EXPECT_EQ(line,
            "{\"rule\":\"iam-x\",\"file\":\"f.json.gz\",\"record\":17,\"eventTime\":\"2025-03-03T08:15:02Z\","
            "\"eventName\":\"CreateUser\",\"eventSource\":\"iam.amazonaws.com\",\"eventID\":\"e-1\","
            "\"userIdentity.arn\":\"arn:aws:iam::123456789012:user/x\",\"sourceIPAddress\":\"192.0.2.66\"}\n");
  // Not JSON: nulls, and the event time from the log event's timestamp.
  const std::string text_line = FormatMatchLine(HitContext{0, &batch, &event, nullptr}, "r", "app.log");
  EXPECT_EQ(text_line,
            "{\"rule\":\"r\",\"file\":\"app.log\",\"record\":17,\"eventTime\":\"2025-03-03T08:15:02Z\","
            "\"eventName\":null,\"eventSource\":null,\"eventID\":null,\"userIdentity.arn\":null,"
            "\"sourceIPAddress\":null}\n");
}

TEST(Output, AlarmLineAndTable) {
  auto pack = pack::LoadPackFile("builtin");
  ASSERT_TRUE(pack);
  AlarmTransition t;
  t.from = AlarmState::kOk;
  t.window_start_ms = 1740989700000;
  t.window_end_ms = 1740990000000;
  t.datapoints = {3.0};
  EXPECT_EQ(FormatAlarmLine(pack->rules[0], t),
            "{\"alarm\":\"CloudWatch.1\",\"metricName\":\"RootAccountUsage\",\"from\":\"OK\",\"to\":\"ALARM\","
            "\"windowStart\":\"2025-03-03T08:15:00Z\",\"windowEnd\":\"2025-03-03T08:20:00Z\",\"until\":null,"
            "\"datapoints\":[3.0],\"threshold\":1.0,\"comparisonOperator\":\"GreaterThanOrEqualToThreshold\"}\n");
  ScanTotals totals;
  totals.events = 5;
  totals.rules.resize(pack->rules.size());
  totals.rules[0].matches = 2;
  totals.rules[0].first_ms = 1740989700000;
  totals.rules[0].last_ms = 1740990000000;
  ScanReport report;
  report.rules = RulePointers(*pack);
  report.totals = &totals;
  report.files = 1;
  report.alarms_requested = true;
  report.alarms.push_back({0, {t}});
  const std::string table = FormatTable(report);
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "RULE                                 SEVERITY  MATCHES  FIRST                 LAST");
  EXPECT_NE(table.find("\nCloudWatch.1                         high            2  2025-03-03T08:15:00Z  "
                       "2025-03-03T08:20:00Z\n"),
            std::string::npos);
  EXPECT_NE(table.find("\nvpc-flow-logs-deleted                high            0  -                     -\n"),
            std::string::npos);
  EXPECT_NE(table.find("\nalarms: 1 transition into ALARM (1 alarm replayed)\n"), std::string::npos);
  EXPECT_NE(table.find("CloudWatch.1                         OK                 2025-03-03T08:15:00Z  "
                       "2025-03-03T08:20:00Z  -                     [3]\n"),
            std::string::npos);
  for (size_t p = 0; (p = table.find(" \n", p)) != std::string::npos; ++p) ADD_FAILURE() << "trailing space";
}

}  // namespace
}  // namespace cwlf::scan
