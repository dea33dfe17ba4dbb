// Scanner: a fixed pool of worker threads fed by a queue of batches; results
// are folded strictly in submission order so match lines come out in input
// order whatever the thread count. Not where events are read or printed.
#include "scan/scanner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cwlf::scan {

static_assert(Batch::kPadding >= RuleSetMatcher::kReadPadding);

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The outline of a JSON object: '{' first and '}' last, spaces aside. What an
// unparsed line is checked for (R-S6): it catches cut and spliced lines.
bool LooksLikeObject(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r");
  const size_t last = s.find_last_not_of(" \t\r");
  return first != std::string_view::npos && s[first] == '{' && s[last] == '}';
}
}  // namespace

Result<RuleSet> BuildPackRuleSet(const std::vector<const pack::Rule*>& rules) {
  RuleSet::Builder builder;
  bool json = false;
  for (size_t r = 0; r < rules.size(); ++r) {
    builder.Add(static_cast<RuleId>(r), *rules[r]->program);
    const PatternKind kind = rules[r]->program->kind();
    json = json || kind == PatternKind::kJson || kind == PatternKind::kInsights;
  }
  // A match's eventTime comes from the RuleSet's own parse (capture 0).
  if (json) builder.Capture("eventTime");
  return builder.Build();
}

Scanner::Scanner(std::vector<const pack::Rule*> rules, ScanConfig config)
    : rules_(std::move(rules)), config_(std::move(config)) {
  totals_.rules.resize(rules_.size());
  replay_.assign(rules_.size(), false);
  for (size_t r = 0; r < rules_.size(); ++r) {
    const pack::Rule& rule = *rules_[r];
    if (!config_.alarms || !rule.alarm || !rule.metric) continue;
    replay_[r] = true;
    if (std::find(alarm_periods_.begin(), alarm_periods_.end(), rule.alarm->period) == alarm_periods_.end())
      alarm_periods_.push_back(rule.alarm->period);
  }
  last_period_.assign(alarm_periods_.size(), std::numeric_limits<int64_t>::min());
  if (!config_.insights) {
    // One RuleSet for the pack: each event is parsed once for every rule.
    if (config_.rule_set) {
      rule_set_ = std::move(config_.rule_set);
    } else if (auto built = BuildPackRuleSet(rules_)) {
      rule_set_ = std::move(*built);
    }
  }
  if (config_.threads <= 0) {
    inline_worker_ = MakeWorker();
  } else {
    for (int t = 0; t < config_.threads; ++t) threads_.emplace_back([this] { WorkerLoop(); });
  }
}

Scanner::~Scanner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

std::unique_ptr<Scanner::Worker> Scanner::MakeWorker() const {
  auto worker = std::make_unique<Worker>();
  if (rule_set_) worker->rule_set.emplace(*rule_set_);
  worker->matchers.resize(rules_.size());
  worker->metrics.resize(rules_.size());
  for (size_t r = 0; r < rules_.size(); ++r) {
    if (config_.insights) worker->selectors.emplace_back(*rules_[r]->query);
    // The pack loader checked the transformation, so Create succeeds.
    if (replay_[r] && rules_[r]->program) {
      worker->matchers[r].emplace(*rules_[r]->program);
      auto metric = MetricEvaluator::Create(*rules_[r]->program, *rules_[r]->metric);
      if (metric) worker->metrics[r].emplace(std::move(*metric));
    }
  }
  return worker;
}

Scanner::Result Scanner::Match(Worker& worker, Batch&& batch) const {
  Result result;
  result.batch = std::move(batch);
  Batch& b = result.batch;
  const bool want_lines = static_cast<bool>(config_.format_hit);
  // The RuleSet's own extraction tells whether a line is JSON when it reads
  // JSON at all; otherwise a deferred line is checked with a DOM parse.
  const bool rule_set_reads_json = rule_set_ && rule_set_->reads_json();
  for (uint32_t e = 0; e < b.events.size(); ++e) {
    EventRef& event = b.events[e];
    const std::string_view message = b.Message(event);
    // The event parsed once, on its first match that needs it.
    int parsed = 0;  // 0 not yet, 1 JSON, -1 not JSON
    simdjson::dom::element record;
    auto parse = [&]() -> const simdjson::dom::element* {
      if (parsed == 0) parsed = worker.parser.parse(message.data(), message.size()).get(record) ? -1 : 1;
      return parsed > 0 ? &record : nullptr;
    };
    worker.hits.clear();
    MatchStatus status = MatchStatus::kOk;
    // Batches end in kReadPadding spare bytes, so events are parsed in place.
    if (worker.rule_set) status = worker.rule_set->MatchInPlace(message, worker.hits);
    if (event.deferred) {
      // What the RuleSet's own pass tells, when it reads JSON: kNotJson is a
      // verdict; kUnparsed leaves the outline check (R-S5); a match was
      // validated whole (R-J1) and its eventTime captured, so it is not
      // parsed again (that cost a fifth of the pack scan's worker time).
      bool valid = true, timed = false;
      std::string why;
      if (rule_set_reads_json) {
        if (status == MatchStatus::kNotJson) {
          valid = false;
          why = "invalid JSON";
        } else if (status == MatchStatus::kUnparsed && !LooksLikeObject(message)) {
          valid = false;
          why = "not a JSON object";
        } else if (status == MatchStatus::kOk && !worker.hits.empty()) {
          const auto text = worker.rule_set->Captured(0);
          const auto ms = text ? ParseIso8601(*text) : std::nullopt;
          event.time_ms = ms ? *ms : kNoTime;
          timed = true;
        }
      }
      // Parsed here when the RuleSet cannot tell, when every event is to be
      // validated, or when alarms need the time of an event nothing matched.
      if (!rule_set_reads_json || config_.validate_all || (valid && !timed && config_.alarms)) {
        simdjson::dom::element doc;
        if (const auto error = worker.parser.parse(message.data(), message.size()).get(doc)) {
          valid = false;
          why = fmt::format("invalid JSON ({})", simdjson::error_message(error));
        } else {
          event.time_ms = EventTimeOf(doc);
        }
      }
      event.deferred = false;
      if (!valid) {
        result.malformed.emplace_back(e, why);
        event.length = 0;
        continue;
      }
    }
    if (!worker.rule_set) {
      LogEvent log_event;
      log_event.message = std::string(message);
      log_event.timestamp_ms = event.time_ms == kNoTime ? 0 : event.time_ms;
      for (uint32_t r = 0; r < worker.selectors.size(); ++r)
        if (worker.selectors[r].Selects(log_event)) worker.hits.push_back(r);
    }
    for (const RuleId r : worker.hits) {
      Hit hit{r, e, kNaN, {}};
      if (auto& metric = worker.metrics[r]) {
        // Values like $field come from the rule's own match (hits are rare).
        std::vector<ExtractedValue> extracted;
        if (worker.matchers[r] && worker.matchers[r]->Match(message).matched)
          extracted = worker.matchers[r]->ExtractedValues();
        const std::optional<double> value = metric->Value(message, extracted);
        if (value) hit.value = *value;
      }
      if (want_lines) hit.line = config_.format_hit(HitContext{r, &b, &event, parse()});
      result.hits.push_back(std::move(hit));
    }
  }
  return result;
}

void Scanner::Fold(Result&& result) {
  const Batch& b = result.batch;
  totals_.events += b.events.size() - result.malformed.size();
  for (const auto& [e, why] : result.malformed) {
    const EventRef& event = b.events[e];
    if (!config_.malformed) continue;
    if (event.in_document) config_.malformed(b.file, event.line, fmt::format("record {}: {}", event.record, why));
    else config_.malformed(b.file, event.line > 0 ? event.line : event.record + 1, why);
  }
  for (const EventRef& event : b.events) {
    totals_.bytes += event.length;
    if (event.time_ms == kNoTime) continue;
    for (size_t i = 0; i < alarm_periods_.size(); ++i) {
      const int64_t k = PeriodIndex(event.time_ms, alarm_periods_[i]);
      if (k == last_period_[i]) continue;
      totals_.event_periods[alarm_periods_[i]].insert(k);
      last_period_[i] = k;
    }
  }
  for (const Hit& hit : result.hits) {
    RuleTotals& t = totals_.rules[hit.rule];
    ++t.matches;
    const int64_t time_ms = b.events[hit.event].time_ms;
    if (time_ms != kNoTime) {
      if (t.first_ms == kNoTime || time_ms < t.first_ms) t.first_ms = time_ms;
      if (t.last_ms == kNoTime || time_ms > t.last_ms) t.last_ms = time_ms;
      if (!std::isnan(hit.value)) t.periods[PeriodIndex(time_ms, rules_[hit.rule]->alarm->period)].Add(hit.value);
    }
    if (!hit.line.empty() && config_.emit) config_.emit(hit.line);
  }
  RecycleBuffer(std::move(result.batch.text));
}

void Scanner::WorkerLoop() {
  std::unique_ptr<Worker> worker = MakeWorker();
  while (true) {
    std::pair<uint64_t, Batch> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Result result = Match(*worker, std::move(job.second));
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_.emplace(job.first, std::move(result));
    }
    done_cv_.notify_all();
  }
}

void Scanner::Drain(uint64_t max_in_flight) {
  while (folded_ < submitted_) {
    Result result;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto it = done_.find(folded_);
      if (it == done_.end()) {
        if (max_in_flight > 0 && submitted_ - folded_ < max_in_flight) return;
        done_cv_.wait(lock, [this] { return done_.count(folded_) > 0; });
        it = done_.find(folded_);
      }
      result = std::move(it->second);
      done_.erase(it);
    }
    Fold(std::move(result));
    ++folded_;
  }
}

void Scanner::Submit(Batch&& batch) {
  if (inline_worker_) {
    Fold(Match(*inline_worker_, std::move(batch)));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.emplace_back(submitted_++, std::move(batch));
  }
  work_cv_.notify_one();
  Drain(static_cast<uint64_t>(config_.threads) * 4);
}

void Scanner::Finish() {
  if (!inline_worker_) Drain(0);
}

}  // namespace cwlf::scan
