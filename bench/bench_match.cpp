// Benchmarks: compile time, and one Program over CloudTrail events from
// shared/corpus (VM and, as the baseline, the reference evaluator). Each
// benchmark first checks the VM's answers against the reference evaluator on
// every event and refuses to time a wrong answer (SkipWithError).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench/corpus.hpp"
#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"

namespace {

using cwlf::bench::Corpus;

struct Case {
  const char* name;
  const char* pattern;
};

const Case kCases[] = {
    {"cis_root_usage",
     "{$.userIdentity.type=\"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType "
     "!=\"AwsServiceEvent\"}"},
    {"cis_unauthorized",
     "{ (($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\")) && "
     "($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }"},
    {"event_name", "{ $.eventName = \"ConsoleLogin\" }"},
    {"term", "AccessDenied"},
    {"regex", "%arn:aws:iam::[0-9]{12}:root%"},
};

bool Verify(const cwlf::Program& program, benchmark::State& state, size_t* matches) {
  cwlf::Matcher matcher(program);
  *matches = 0;
  for (const std::string& e : Corpus()) {
    const bool vm = matcher.Match(e).matched;
    if (vm != cwlf::reference::Evaluate(program, e).matched) {
      state.SkipWithError("VM disagrees with the reference evaluator");
      return false;
    }
    *matches += vm;
  }
  return true;
}

void BM_Match(benchmark::State& state, const char* pattern, bool reference) {
  const auto& events = Corpus();
  if (events.empty()) {
    state.SkipWithError("shared/corpus is not there");
    return;
  }
  cwlf::Program program = cwlf::OrThrow(cwlf::Program::Compile(pattern));
  size_t matches = 0;
  if (!Verify(program, state, &matches)) return;
  cwlf::Matcher matcher(program);
  size_t bytes = 0;
  for (const auto& e : events) bytes += e.size();
  for (auto _ : state) {
    size_t n = 0;
    for (const std::string& e : events)
      n += reference ? cwlf::reference::Evaluate(program, e).matched : matcher.Match(e).matched;
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["events_per_sec"] =
      benchmark::Counter(static_cast<double>(events.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Compile(benchmark::State& state) {
  // A 1024-character pattern: CIS-style alternatives of event names.
  std::string pattern = "{ ";
  for (int i = 0; pattern.size() < 990; ++i)
    pattern += (i ? " || " : "") + std::string("($.eventName = Name") + std::to_string(i) + ")";
  pattern += " }";
  // Check the answer before timing: Name7 is one of the alternatives, Name99999 is not.
  auto program = cwlf::Program::Compile(pattern);
  if (!program) {
    state.SkipWithError("the benchmark pattern does not compile");
    return;
  }
  cwlf::Matcher matcher(*program);
  if (!matcher.Match(R"({"eventName":"Name7"})").matched ||
      matcher.Match(R"({"eventName":"Name99999"})").matched) {
    state.SkipWithError("the compiled pattern gives a wrong answer");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(cwlf::Program::Compile(pattern));
  state.counters["pattern_bytes"] = static_cast<double>(pattern.size());
}
BENCHMARK(BM_Compile);

int Register() {
  for (const Case& c : kCases) {
    benchmark::RegisterBenchmark((std::string("BM_Match/") + c.name).c_str(), BM_Match, c.pattern, false)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("BM_Reference/") + c.name).c_str(), BM_Match, c.pattern, true)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1);
  }
  return 0;
}
const int kRegistered = Register();

}  // namespace

BENCHMARK_MAIN();
