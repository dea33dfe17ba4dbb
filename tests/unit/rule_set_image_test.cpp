// RuleSet images (RuleSet::Serialize / Deserialize): a damaged, cut, foreign
// or forged image is refused with a diagnostic and never crashes; a good one
// matches as the set it came from (the corpus-wide comparison is in
// tests/differential/rule_set_vs_programs_test.cpp, "through an image").
#include <gtest/gtest.h>

#include <random>

#include "cwlf/cwlf.hpp"

namespace cwlf {
namespace {

RuleSet SmallSet() {
  return OrThrow(RuleSet::Builder()
                     .Add(7, R"({ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Failure" })")
                     .Add(8, R"({ ($.eventName = "StopLogging") || ($.eventName = "DeleteTrail") })")
                     .Add(9, R"({ $.errorCode = "*UnauthorizedOperation" && $.latency > 10 })")
                     .Add(10, "%[Ee]rror [0-9]+%")
                     .Add(11, "[ip, user, ..., status = 4*]")
                     .Capture("eventTime")
                     .Build());
}

const char* kEvents[] = {
    R"({"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"eventTime":"t1"})",
    R"({"eventName":"DeleteTrail"})",
    R"({"errorCode":"Client.UnauthorizedOperation","latency":12})",
    "Error 42 in 10.0.0.1 bob x 404",
    R"({"eventName":"GetObject"})",
};

std::vector<std::vector<RuleId>> HitsOf(const RuleSet& set) {
  RuleSetMatcher m(set);
  std::vector<std::vector<RuleId>> out;
  for (const char* e : kEvents) m.Match(e, out.emplace_back());
  return out;
}

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// The header ends with the payload's FNV-1a; a forged image recomputes it so
// that the loader's own checks are what stands between it and a crash.
std::string Reseal(std::string image) {
  constexpr size_t kHeader = 40;
  const uint64_t h = Fnv1a(std::string_view(image).substr(kHeader));
  for (size_t i = 0; i < 8; ++i) image[kHeader - 8 + i] = static_cast<char>((h >> (8 * i)) & 0xFF);
  return image;
}

TEST(RuleSetImage, RoundTripMatchesTheSameAndIsStable) {
  const RuleSet set = SmallSet();
  const std::string bytes = set.Serialize();
  const RuleSet loaded = OrThrow(RuleSet::Deserialize(bytes));
  EXPECT_EQ(loaded.Serialize(), bytes);
  EXPECT_EQ(std::vector<RuleId>(loaded.ids().begin(), loaded.ids().end()), (std::vector<RuleId>{7, 8, 9, 10, 11}));
  EXPECT_EQ(loaded.DispatchSummary(), set.DispatchSummary());
  const auto hits = HitsOf(loaded);
  EXPECT_EQ(hits, HitsOf(set));
  EXPECT_EQ(hits[0], (std::vector<RuleId>{7}));
  EXPECT_EQ(hits[3], (std::vector<RuleId>{10, 11}));
  RuleSetMatcher m(loaded);
  std::vector<RuleId> ignored;
  m.Match(kEvents[0], ignored);
  EXPECT_EQ(m.Captured(0), std::optional<std::string_view>("t1"));
}

TEST(RuleSetImage, RefusesWhatIsNotAnImage) {
  for (std::string_view bad : {std::string_view(""), std::string_view("CWLF"), std::string_view("{\"rules\":[]}")}) {
    auto r = RuleSet::Deserialize(bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().all().front().code, ErrorCode::kBadInput);
    EXPECT_NE(r.error().all().front().message.find("not a usable rule-set image"), std::string::npos);
  }
}

TEST(RuleSetImage, RefusesAnotherInstructionSetOrVersion) {
  std::string bytes = SmallSet().Serialize();
  std::string other_ops = bytes;
  other_ops[12] ^= 1;  // inside the opcodes hash
  auto r = RuleSet::Deserialize(other_ops);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().all().front().message.find("another instruction set"), std::string::npos);
  std::string other_version = bytes;
  other_version[8] = 99;
  r = RuleSet::Deserialize(other_version);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().all().front().message.find("format version 99"), std::string::npos);
}

TEST(RuleSetImage, EveryCutAndEveryFlippedByteIsRefused) {
  const std::string bytes = SmallSet().Serialize();
  for (size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(RuleSet::Deserialize(std::string_view(bytes).substr(0, n)).has_value()) << n;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] ^= 0x20;
    EXPECT_FALSE(RuleSet::Deserialize(damaged).has_value()) << i;  // the checksum catches it
  }
}

// Forged images pass the checksum: the loader must still refuse or load a
// set that passed the verifier, and matching it must be safe (run under
// ASan/UBSan by tests/sanitize/run_asan.sh).
TEST(RuleSetImage, ForgedImagesAreCheckedPartByPart) {
  const std::string bytes = SmallSet().Serialize();
  std::mt19937 rng(5);
  size_t refused = 0, loaded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string forged = bytes;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      const size_t at = 40 + rng() % (forged.size() - 40);
      forged[at] = static_cast<char>(rng() % 4 == 0 ? 0xFF : forged[at] ^ (1 << (rng() % 8)));
    }
    auto set = RuleSet::Deserialize(Reseal(forged));
    if (!set) {
      ++refused;
      continue;
    }
    ++loaded;
    HitsOf(*set);  // must not crash, whatever it answers
  }
  std::printf("forged images: %zu refused, %zu loaded and matched safely\n", refused, loaded);
  EXPECT_GT(refused, 0u);
}

}  // namespace
}  // namespace cwlf
