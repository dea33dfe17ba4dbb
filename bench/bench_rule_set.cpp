// RuleSet benchmarks: BM_RuleSet/rules:N/dispatch:on|off/prefilter:on|off
// over the corpus,
// against BM_Floor, a minimal simdjson On-Demand loop that parses each
// event and reads one field (the floor of JSON work). Each RuleSet case
// first checks, on every event, that it reports exactly the rules whose own
// Programs match, and refuses to time a wrong answer.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <map>
#include <random>

#include "bench/corpus.hpp"
#include "cwlf/cwlf.hpp"

namespace {

// N rules in the shapes CloudTrail packs use: one or a few event names,
// sometimes with an event source, an error code or a user type.
std::vector<std::string> MakeRules(size_t n) {
  static const char* kNames[] = {"PutObject", "GetObject", "Decrypt", "GenerateDataKey", "AssumeRole",
                                 "ConsoleLogin", "CreateAccessKey", "StopLogging", "DeleteTrail",
                                 "PutBucketPolicy", "RunInstances", "AuthorizeSecurityGroupIngress"};
  std::vector<std::string> rules;
  std::mt19937 rng(42);
  for (size_t i = 0; i < n; ++i) {
    const std::string name = i < std::size(kNames) ? kNames[i] : fmt::format("SyntheticApiCall{}", i);
    switch (i % 4) {
      case 0: rules.push_back(fmt::format(R"({{ $.eventName = "{}" }})", name)); break;
      case 1: rules.push_back(fmt::format(R"({{ ($.eventSource = "s3.amazonaws.com") && ($.eventName = "{}") }})", name)); break;
      case 2: rules.push_back(fmt::format(R"({{ $.eventName = "{}" && $.errorCode = "AccessDenied*" }})", name)); break;
      default:
        rules.push_back(fmt::format(R"({{ ($.eventName = "{}" || $.eventName = "{}") && $.userIdentity.type != "AWSService" }})",
                                    name, kNames[rng() % std::size(kNames)]));
        break;
    }
  }
  return rules;
}

// What each rule's own Program says of each event, computed once per N.
const std::vector<std::vector<cwlf::RuleId>>& Expected(size_t n, const std::vector<cwlf::Program>& programs) {
  static std::map<size_t, std::vector<std::vector<cwlf::RuleId>>> cache;
  auto [it, added] = cache.try_emplace(n);
  if (added) {
    std::vector<cwlf::Matcher> singles(programs.begin(), programs.end());
    for (const std::string& e : cwlf::bench::Corpus()) {
      auto& expected = it->second.emplace_back();
      for (size_t i = 0; i < n; ++i)
        if (singles[i].Match(e).matched) expected.push_back(static_cast<cwlf::RuleId>(i));
    }
  }
  return it->second;
}

void BM_RuleSet(benchmark::State& state) {
  const auto& events = cwlf::bench::Corpus();
  if (events.empty()) return state.SkipWithError("shared/corpus is not there");
  const size_t n = static_cast<size_t>(state.range(0));
  const bool dispatch = state.range(1) != 0;
  const bool prefilter = state.range(2) != 0;
  cwlf::RuleSet::Builder builder;
  std::vector<cwlf::Program> programs;
  const auto rules = MakeRules(n);
  for (size_t i = 0; i < n; ++i) {
    programs.push_back(cwlf::OrThrow(cwlf::Program::Compile(rules[i])));
    builder.Add(static_cast<cwlf::RuleId>(i), programs.back());
  }
  cwlf::RuleSet set = cwlf::OrThrow(builder.Build({.equality_dispatch = dispatch, .prefilter = prefilter}));
  cwlf::RuleSetMatcher matcher(set);
  std::vector<cwlf::RuleId> hits;
  size_t matches = 0, unparsed = 0;
  const auto& expected = Expected(n, programs);
  for (size_t e = 0; e < events.size(); ++e) {  // verify before timing
    unparsed += matcher.Match(events[e], hits) == cwlf::MatchStatus::kUnparsed;
    if (hits != expected[e]) return state.SkipWithError("RuleSet disagrees with its Programs");
    matches += hits.size();
  }
  size_t bytes = 0;
  for (const auto& e : events) bytes += e.size();
  for (auto _ : state) {
    size_t found = 0;
    for (const std::string& e : events) {
      matcher.Match(e, hits);
      found += hits.size();
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["unparsed"] = static_cast<double>(unparsed);
}
BENCHMARK(BM_RuleSet)
    ->ArgsProduct({{1, 10, 100, 1000}, {1, 0}, {1, 0}})
    ->ArgNames({"rules", "dispatch", "prefilter"})
    ->Unit(benchmark::kMillisecond);

// Loading a serialized N-rule image (`cwlf compile` output): first checked to
// answer as the set it came from on every corpus event.
void BM_RuleSetLoad(benchmark::State& state) {
  const auto& events = cwlf::bench::Corpus();
  if (events.empty()) return state.SkipWithError("shared/corpus is not there");
  const size_t n = static_cast<size_t>(state.range(0));
  cwlf::RuleSet::Builder builder;
  const auto rules = MakeRules(n);
  for (size_t i = 0; i < n; ++i) builder.Add(static_cast<cwlf::RuleId>(i), rules[i]);
  const cwlf::RuleSet set = cwlf::OrThrow(builder.Build());
  const std::string image = set.Serialize();
  const cwlf::RuleSet loaded = cwlf::OrThrow(cwlf::RuleSet::Deserialize(image));
  cwlf::RuleSetMatcher a(set), b(loaded);
  std::vector<cwlf::RuleId> ha, hb;
  for (const std::string& e : events) {
    if (a.Match(e, ha) != b.Match(e, hb) || ha != hb) return state.SkipWithError("the loaded image answers otherwise");
  }
  for (auto _ : state) benchmark::DoNotOptimize(cwlf::RuleSet::Deserialize(image));
  state.counters["image_bytes"] = static_cast<double>(image.size());
}
BENCHMARK(BM_RuleSetLoad)->ArgName("rules")->Arg(35)->Arg(1000)->Unit(benchmark::kMillisecond);

// The corpus as simdjson padded strings, and its size in bytes.
const std::vector<simdjson::padded_string>& PaddedCorpus(size_t* bytes) {
  static const std::vector<simdjson::padded_string> padded = [] {
    std::vector<simdjson::padded_string> out;
    for (const auto& e : cwlf::bench::Corpus()) out.emplace_back(e);
    return out;
  }();
  *bytes = 0;
  for (const auto& p : padded) *bytes += p.size();
  return padded;
}

// The floor: parse each event with simdjson On-Demand and read eventName.
void BM_Floor(benchmark::State& state) {
  size_t bytes = 0;
  const auto& padded = PaddedCorpus(&bytes);
  if (padded.empty()) return state.SkipWithError("shared/corpus is not there");
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    size_t n = 0;
    for (const auto& p : padded) {
      simdjson::ondemand::document doc;
      if (parser.iterate(p).get(doc)) continue;
      std::string_view name;
      if (!doc["eventName"].get_string().get(name)) n += name.size() == 9;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * padded.size()));
}
BENCHMARK(BM_Floor)->Unit(benchmark::kMillisecond);

// What a faithful reader must do at least: visit every top-level key (a
// repeated key replaces the earlier one, R-J10) and reach the end of the
// document (trailing text makes it not JSON, R-J1).
void BM_FloorAllKeys(benchmark::State& state) {
  size_t bytes = 0;
  const auto& padded = PaddedCorpus(&bytes);
  if (padded.empty()) return state.SkipWithError("shared/corpus is not there");
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    size_t n = 0;
    for (const auto& p : padded) {
      simdjson::ondemand::document doc;
      simdjson::ondemand::object obj;
      if (parser.iterate(p).get(doc) || doc.get_object().get(obj)) continue;
      for (auto field : obj) {
        simdjson::ondemand::field f;
        if (std::move(field).get(f)) break;
        if (f.key().unsafe_is_equal("eventName")) {
          std::string_view name;
          if (!f.value().get_string().get(name)) n += name.size() == 9;
        }
      }
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * padded.size()));
}
BENCHMARK(BM_FloorAllKeys)->Unit(benchmark::kMillisecond);

}  // namespace
