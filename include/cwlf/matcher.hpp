// Matcher: per-thread scratch (JSON parser, slot table, field list) that runs a
// Program over log event messages. Not thread-safe: use one Matcher per thread
// and reuse it; the Program it holds may be shared freely. Std-only.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cwlf/program.hpp"

namespace cwlf {

namespace detail {
class MatcherState;
}  // namespace detail

// How the event was read. A status is data, never an error: an event that is
// not JSON simply does not match a JSON pattern.
enum class MatchStatus : uint8_t {
  kOk,
  kNotJson,   // a JSON pattern met an event that is not a JSON object
  kTooLarge,  // the event exceeds kMaxEventBytes; it never matches
  kUnparsed,  // RuleSet only: the prefilter ruled out every rule unparsed
};
std::string_view MatchStatusName(MatchStatus status);

struct MatchResult {
  bool matched = false;
  MatchStatus status = MatchStatus::kOk;
};

// One value as TestMetricFilter's extractedValues names it ("$status", "$1").
struct ExtractedValue {
  std::string name;
  std::string value;
  friend bool operator==(const ExtractedValue&, const ExtractedValue&) = default;
};

// Events larger than this never match (AWS's event size limit is 1 MB).
inline constexpr size_t kMaxEventBytes = 4u << 20;

class Matcher {
 public:
  explicit Matcher(Program program);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Matches one log event message (any bytes; no padding needed: the Matcher
  // copies JSON events into its padded buffer). noexcept: malformed input is a
  // status, never an exception. Cost: one forward pass over the event.
  MatchResult Match(std::string_view message) noexcept;

  // The values TestMetricFilter would report for the last Match() that
  // matched: "$name"/"$N" for space-delimited patterns, nothing otherwise.
  // Ordered by field position.
  std::vector<ExtractedValue> ExtractedValues() const;

  const Program& program() const { return program_; }

 private:
  Program program_;
  std::unique_ptr<detail::MatcherState> state_;
};

}  // namespace cwlf
