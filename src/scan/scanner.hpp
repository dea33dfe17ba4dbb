// The matching engine of `cwlf scan`: runs every rule of a pack over batches
// of events on worker threads (one RuleSet pass per event for filter
// patterns, one QuerySelector per rule for insights queries), then folds
// the results in input order on the caller's thread: per-rule counts and
// first/last times, per-period metric values for alarm replay, and optional
// per-match output lines. Not a reader (reader.hpp) and not a formatter of
// tables (output.hpp).
#pragma once

#include <simdjson.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pack/pack.hpp"
#include "scan/alarm.hpp"
#include "scan/reader.hpp"

namespace cwlf::scan {

// Everything a match line needs. `record` is the parsed event, or nullptr
// when the event is not JSON.
struct HitContext {
  size_t rule = 0;
  const Batch* batch = nullptr;
  const EventRef* event = nullptr;
  const simdjson::dom::element* record = nullptr;
};
// Builds the output line of one match. Runs on worker threads: must not touch
// shared state.
using HitFormatter = std::function<std::string(const HitContext&)>;

struct ScanConfig {
  int threads = 1;  // worker threads; 0 matches on the caller's thread
  bool insights = false;  // match rules by their insightsQuery instead of their filterPattern
  bool alarms = false;
  // Validate every NDJSON line as JSON. Otherwise (R-S6) a line the RuleSet's
  // prefilter rules out unparsed is only checked to be "{...}".
  bool validate_all = false;
  // A RuleSet already built by BuildPackRuleSet for these rules (a compiled
  // pack): then rules need no compiled program unless alarms are replayed.
  std::optional<RuleSet> rule_set;
  HitFormatter format_hit;                              // empty: no match lines
  // A deferred NDJSON line that is not JSON (caller's thread, input order):
  // the batch's file index, the 1-based line and why. The event is skipped.
  std::function<void(uint32_t file, uint64_t line, const std::string& why)> malformed;
  std::function<void(const std::string& line)> emit;    // caller's thread, input order
};

// The RuleSet a scan matches the filter patterns of `rules` with (ids: the
// positions in `rules`), capturing eventTime when some rule reads JSON.
// Every rule must have its compiled program.
Result<RuleSet> BuildPackRuleSet(const std::vector<const pack::Rule*>& rules);

struct RuleTotals {
  uint64_t matches = 0;
  int64_t first_ms = kNoTime;
  int64_t last_ms = kNoTime;
  std::map<int64_t, PeriodStats> periods;  // alarm replay: metric values by period
};

struct ScanTotals {
  uint64_t events = 0;
  uint64_t bytes = 0;
  std::vector<RuleTotals> rules;
  std::map<int64_t, std::set<int64_t>> event_periods;  // period seconds -> periods with events
};

class Scanner {
 public:
  // `rules` must outlive the scanner and each must have a compiled program
  // (a compiled query with ScanConfig::insights).
  Scanner(std::vector<const pack::Rule*> rules, ScanConfig config);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Queues a batch (caller's thread). May block while too many are in flight,
  // folding finished results meanwhile.
  void Submit(Batch&& batch);
  // Waits for every submitted batch and folds it; call once at the end.
  void Finish();

  const ScanTotals& totals() const { return totals_; }
  const std::vector<const pack::Rule*>& rules() const { return rules_; }

 private:
  struct Hit {
    uint32_t rule;
    uint32_t event;
    double value;  // metric value, NaN when none
    std::string line;
  };
  struct Result {
    Batch batch;
    std::vector<Hit> hits;
    std::vector<std::pair<uint32_t, std::string>> malformed;  // event index, why
  };
  // Per-thread scratch: the RuleSet matcher (filter patterns, one parse per
  // event) or one QuerySelector per rule (insights), plus per-rule Matchers
  // and MetricEvaluators for the rules whose alarm is replayed.
  struct Worker {
    std::optional<RuleSetMatcher> rule_set;
    std::vector<QuerySelector> selectors;
    std::vector<RuleId> hits;
    std::vector<std::optional<Matcher>> matchers;
    std::vector<std::optional<MetricEvaluator>> metrics;
    simdjson::dom::parser parser;
  };

  std::unique_ptr<Worker> MakeWorker() const;
  Result Match(Worker& worker, Batch&& batch) const;
  void Fold(Result&& result);
  void WorkerLoop();
  // Folds finished results in order until fewer than `max_in_flight` remain
  // unfolded (0: all).
  void Drain(uint64_t max_in_flight);

  std::vector<const pack::Rule*> rules_;
  std::optional<RuleSet> rule_set_;  // filter patterns, ids = rule index
  std::vector<bool> replay_;            // per rule: alarm replayed
  std::vector<int64_t> alarm_periods_;  // distinct alarm periods, seconds
  std::vector<int64_t> last_period_;    // per alarm period: last index inserted
  ScanConfig config_;
  ScanTotals totals_;

  std::unique_ptr<Worker> inline_worker_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::pair<uint64_t, Batch>> queue_;
  std::map<uint64_t, Result> done_;
  uint64_t submitted_ = 0;
  uint64_t folded_ = 0;
  bool stop_ = false;
};

}  // namespace cwlf::scan
