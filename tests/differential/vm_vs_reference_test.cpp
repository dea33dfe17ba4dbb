// Differential test: the VM against the reference evaluator on patterns
// generated from real CloudTrail events (shared/corpus) and on those events,
// whole, truncated and with duplicated keys. Any disagreement is a bug in one
// of them. Deterministic: fixed seeds, fixed sample.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <fmt/format.h>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"
#include "support/corpus.hpp"

namespace cwlf {
namespace {

namespace fs = std::filesystem;

struct Leaf {
  std::string path;
  nlohmann::json value;
};

void CollectLeaves(const nlohmann::json& j, const std::string& path, int depth, std::vector<Leaf>& out) {
  if (depth > 4) return;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      bool plain = !k.empty();
      for (char c : k)
        if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) plain = false;
      CollectLeaves(v, path + (plain ? "." + k : ".['" + k + "']"), depth + 1, out);
    }
  } else if (j.is_array()) {
    if (!j.empty()) CollectLeaves(j[0], path + "[0]", depth + 1, out);
    out.push_back({path, j});
  } else {
    out.push_back({path, j});
  }
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool SafeForPattern(const std::string& s) {
  if (s.size() > 60) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == '"' || c == '\\' || c == '*') return false;
  return true;
}

std::string AlnumPiece(const std::string& s, std::mt19937& rng) {
  std::vector<std::string> pieces;
  std::string cur;
  for (char c : s) {
    if (isalnum(static_cast<unsigned char>(c))) cur += c;
    else if (!cur.empty()) pieces.push_back(std::exchange(cur, ""));
  }
  if (!cur.empty()) pieces.push_back(cur);
  if (pieces.empty()) return "x";
  return pieces[rng() % pieces.size()];
}

std::string Condition(const Leaf& leaf, std::mt19937& rng) {
  const auto& v = leaf.value;
  std::string p = leaf.path;
  // Walk arrays through '*' half of the time (R-J2 wildcards, R-J10 repeats).
  if (const size_t at = p.find("[0]"); at != std::string::npos && rng() % 2) p.replace(at, 3, "[*]");
  switch (rng() % 12) {
    case 0: return p + " NOT EXISTS";
    case 1: return p + " IS NULL";
    case 2: return p + (rng() % 2 ? " IS TRUE" : " IS FALSE");
    default: break;
  }
  if (v.is_number()) {
    const double d = v.get<double>();
    const char* ops[] = {"=", "!=", "<", "<=", ">", ">="};
    const std::string num = fmt::format("{}", rng() % 3 == 0 ? d + 1 : d);
    return p + " " + ops[rng() % 6] + " " + num;
  }
  const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (!SafeForPattern(s) || s.empty()) return p + " = *";
  const size_t cut = 1 + rng() % s.size();
  switch (rng() % 9) {
    case 0: return p + " = " + Quote(s);
    case 1: return p + " != " + Quote(s);
    case 2: return p + " = " + Quote(s.substr(0, cut) + "*");
    case 3: return p + " = " + Quote("*" + s.substr(s.size() - cut));
    case 4: return p + " = " + Quote("*" + s.substr(cut / 2, cut) + "*");
    case 5: return p + " = " + Quote(s.substr(0, cut / 2) + "*" + s.substr(cut));
    case 6: return p + " != " + Quote(s.substr(0, cut) + "*");
    case 7: return p + " = %" + AlnumPiece(s, rng) + "%";
    default: return p + " = *";
  }
}

std::string JsonPattern(const std::vector<Leaf>& leaves, std::mt19937& rng) {
  const int n = 1 + static_cast<int>(rng() % 4);
  std::string out = "{ ";
  for (int i = 0; i < n; ++i) {
    if (i) out += rng() % 2 ? " && " : " || ";
    const bool paren = rng() % 3 == 0;
    if (paren) out += "(";
    out += Condition(leaves[rng() % leaves.size()], rng);
    if (paren && rng() % 2) out += " || " + Condition(leaves[rng() % leaves.size()], rng);
    if (paren) out += ")";
  }
  return out + " }";
}

std::string TermPattern(const std::string& event, std::mt19937& rng) {
  const int n = 1 + static_cast<int>(rng() % 3);
  const int mode = static_cast<int>(rng() % 3);  // plain, all-?, with exclusion
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += " ";
    if (mode == 1) out += "?";
    if (mode == 2 && i == n - 1) out += "-";
    const size_t at = rng() % event.size();
    std::string phrase = event.substr(at, 1 + rng() % 12);
    if (rng() % 2 && SafeForPattern(phrase)) out += Quote(phrase);
    else out += AlnumPiece(event.substr(at, 40), rng);
  }
  return out;
}

TEST(Differential, VmAgreesWithReferenceOnCorpus) {
  std::vector<std::string> events = testing::LoadCorpus(23, 1200);
  if (events.empty()) GTEST_SKIP() << "shared/corpus is not there";
  std::mt19937 rng(20261201);
  // Events as given, plus damaged and duplicated-key variants.
  const size_t real = events.size();
  for (size_t i = 0; i < real; i += 40) {
    events.push_back(events[i].substr(0, rng() % events[i].size()));
    events.push_back(events[i].substr(0, events[i].size() - 1) + ",\"eventName\":\"Dup\"}");
    events.push_back(events[i] + std::string(1 + rng() % 3, '\0'));  // R-J1: a NUL byte is not JSON
  }
  std::vector<std::vector<Leaf>> leaves_of;
  for (size_t i = 0; i < real; i += 7) {
    std::vector<Leaf> leaves;
    CollectLeaves(nlohmann::json::parse(events[i]), "$", 0, leaves);
    if (!leaves.empty()) leaves_of.push_back(std::move(leaves));
  }
  std::vector<std::string> patterns = {
      "{ $.eventName = \"Dup\" }", "{ $.resources[*].type = * }", "{ $.* = \"AwsApiCall\" }",
      "{ $.requestParameters.* = * }", "[version, ..., last]", "[a, b, c]", "[]"};
  for (int i = 0; i < 150; ++i) patterns.push_back(JsonPattern(leaves_of[rng() % leaves_of.size()], rng));
  for (int i = 0; i < 40; ++i) patterns.push_back(TermPattern(events[rng() % real], rng));

  size_t compiled = 0, evaluations = 0, matches = 0, disagreements = 0;
  std::set<std::string> patterns_that_match;
  for (const std::string& pattern : patterns) {
    auto program = Program::Compile(pattern);
    if (!program) continue;
    ++compiled;
    Matcher matcher(*program);
    for (const std::string& event : events) {
      ++evaluations;
      const bool vm = matcher.Match(event).matched;
      const reference::Answer oracle = reference::Evaluate(*program, event);
      matches += vm;
      if (vm) patterns_that_match.insert(pattern);
      if (vm != oracle.matched || (vm && matcher.ExtractedValues() != oracle.extracted)) {
        if (++disagreements <= 20)
          ADD_FAILURE() << "VM " << vm << " vs reference " << oracle.matched << "\n  pattern: " << pattern
                        << "\n  event: " << event.substr(0, 300);
      }
    }
  }
  std::printf("differential: %zu patterns compiled of %zu, %zu evaluations, %zu matches, "
              "%zu patterns matching something, %zu disagreements\n",
              compiled, patterns.size(), evaluations, matches, patterns_that_match.size(), disagreements);
  EXPECT_EQ(disagreements, 0u);
  EXPECT_GT(compiled, patterns.size() * 9 / 10);
  EXPECT_GT(patterns_that_match.size(), patterns.size() / 4) << "generated patterns should often match";
}

}  // namespace
}  // namespace cwlf
