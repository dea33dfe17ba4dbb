// Runs every filter row of shared/spec/aws-recorded.jsonl (real AWS answers)
// and shared/spec/cases.jsonl (documentation and older tests) through the
// path `cwlf test` takes: Program::Compile, Matcher::Match, ExtractedValues.
// Prints "conformance: N passed, M failed" per file. Every recorded answer
// must be reproduced; a cases.jsonl row may differ only when it is listed in
// kDocumentedDisagreements with the semantics.md rule that explains it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cwlf/cwlf.hpp"

namespace cwlf {
namespace {

struct Disagreement {
  const char* pattern;
  const char* event;
  const char* rule;  // the semantics.md rule that explains it
};

// None at present: every row of both files is reproduced.
constexpr Disagreement kDocumentedDisagreements[] = {{nullptr, nullptr, nullptr}};

bool Documented(const std::string& pattern, const std::string& event) {
  for (const auto& d : kDocumentedDisagreements)
    if (d.pattern && pattern == d.pattern && event == d.event) return true;
  return false;
}

struct Tally {
  int passed = 0, failed = 0, documented = 0;
  std::vector<std::string> failures;
};

Tally RunFile(const std::string& path) {
  Tally tally;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json row = nlohmann::json::parse(line);
    if (row.value("lang", "") != "filter") continue;
    const std::string pattern = row["pattern"];
    const std::string event = row["event"];
    const bool rejected = row.contains("error");
    bool ok = true;
    std::string why;
    auto program = Program::Compile(pattern);
    if (rejected) {
      ok = !program.has_value();
      why = "expected rejection";
    } else if (!program) {
      ok = false;
      why = "rejected: " + program.error().primary().message;
    } else {
      Matcher matcher(*program);
      const bool matched = matcher.Match(event).matched;
      ok = matched == row["match"].get<bool>();
      why = matched ? "matched" : "did not match";
      if (ok && matched && row["extracted"].is_object()) {
        std::map<std::string, std::string> got;
        for (const auto& v : matcher.ExtractedValues()) got[v.name] = v.value;
        for (const auto& [key, value] : row["extracted"].items()) {
          const std::string want = value.is_string() ? value.get<std::string>() : value.dump();
          if (got[key] != want) {
            ok = false;
            why = "extracted " + key + "='" + got[key] + "', expected '" + want + "'";
          }
        }
      }
    }
    if (ok) {
      ++tally.passed;
    } else if (Documented(pattern, event)) {
      ++tally.documented;
    } else {
      ++tally.failed;
      tally.failures.push_back(pattern + "  on  " + event + ": " + why);
    }
  }
  return tally;
}

void Check(const std::string& name) {
  const std::string path = std::string(CWLF_SHARED_DIR) + "/spec/" + name;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not there";
  const Tally t = RunFile(path);
  std::printf("conformance (%s): %d passed, %d failed, %d documented disagreements\n", name.c_str(),
              t.passed, t.failed, t.documented);
  for (const auto& f : t.failures) ADD_FAILURE() << f;
  EXPECT_GT(t.passed, 0);
}

TEST(Conformance, AwsRecorded) { Check("aws-recorded.jsonl"); }
TEST(Conformance, Cases) { Check("cases.jsonl"); }

}  // namespace
}  // namespace cwlf
