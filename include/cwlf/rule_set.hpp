// RuleSet: many compiled filter patterns matched together in one pass per
// event. The JSON paths of all rules are merged into one trie, so each event
// is parsed once; rules that require an exact value of one field (typically
// $.eventName) are only run when the event has one of those values.
// Immutable and thread-safe; matching happens in a RuleSetMatcher. Std-only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cwlf/matcher.hpp"
#include "cwlf/program.hpp"

namespace cwlf {

using RuleId = uint32_t;

namespace detail {
struct RuleSetImage;
class RuleSetState;
}  // namespace detail

// Cross-rule indexes, each switchable (for benchmarks and differential tests).
struct RuleSetOptions {
  bool equality_dispatch = true;  // skip rules whose required field value is absent
  // Skip rules whose required literals are absent from the event's raw bytes
  // (one Vectorscan scan); an event no rule can match is not parsed at all
  // and reports MatchStatus::kUnparsed (semantics.md R-S6).
  bool prefilter = true;
};

class RuleSet {
 public:
  class Builder {
   public:
    // Adds a compiled program under the caller's id (ids need not be dense).
    Builder& Add(RuleId id, Program program);
    // Compiles and adds; a pattern that does not compile is reported by Build().
    Builder& Add(RuleId id, std::string_view pattern, const CompileOptions& options = {});
    // Also reads the top-level `key` of every event the set parses, for the
    // caller (RuleSetMatcher::Captured(i), i in call order): `cwlf scan`
    // takes eventTime from the same parse instead of parsing a match again.
    Builder& Capture(std::string key);
    // Fails with every rejected rule's diagnostics (origin "rule <id>") and
    // on duplicate ids. Cost: linear in the total program size. Leaves the
    // builder empty.
    Result<RuleSet> Build(const RuleSetOptions& options = {});

   private:
    std::vector<std::pair<RuleId, Program>> rules_;
    std::vector<std::string> captures_;
    std::vector<Diagnostic> problems_;
  };

  size_t size() const;
  // True when some rule reads the event as JSON (then every match reports
  // MatchStatus::kNotJson for an event that is not a JSON object).
  bool reads_json() const;
  std::span<const RuleId> ids() const;
  // Which field the equality dispatch keys on ("" when none), how many rules
  // it covers, and what the prefilter holds: for Explain and benchmarks.
  std::string DispatchSummary() const;

  // A versioned binary image of this RuleSet (magic, format version, a hash
  // of the instruction set, a checksum), for Deserialize: `cwlf compile`.
  std::string Serialize() const;
  // Loads an image without parsing or compiling patterns. Every part is
  // checked and every program verified: a damaged, cut or foreign image is
  // an error (ErrorCode::kBadInput), never a crash.
  static Result<RuleSet> Deserialize(std::string_view bytes);

  const detail::RuleSetImage& image() const { return *image_; }
  explicit RuleSet(std::shared_ptr<const detail::RuleSetImage> image) : image_(std::move(image)) {}

 private:
  std::shared_ptr<const detail::RuleSetImage> image_;
};

// Per-thread scratch for a RuleSet. Not thread-safe; reuse one per thread.
class RuleSetMatcher {
 public:
  explicit RuleSetMatcher(RuleSet rules);
  ~RuleSetMatcher();
  RuleSetMatcher(RuleSetMatcher&&) noexcept;
  RuleSetMatcher& operator=(RuleSetMatcher&&) noexcept;

  // Fills `hits` with the ids of the matching rules, in the order they were
  // added. noexcept; cost: a literal scan, then (unless it rules out every
  // rule) one extraction pass plus the candidate rules. kUnparsed: the
  // prefilter proved that no rule matches, so the event was not parsed and
  // whether it is JSON is not known.
  MatchStatus Match(std::string_view message, std::vector<RuleId>& hits) noexcept;
  // As Match, calling `on_hit(id)` per matching rule; returning false stops.
  MatchStatus Match(std::string_view message, const std::function<bool(RuleId)>& on_hit) noexcept;
  // As Match, for a message followed in memory by at least kReadPadding
  // readable bytes (any content): JSON is parsed in place, without a copy.
  static constexpr size_t kReadPadding = 64;
  MatchStatus MatchInPlace(std::string_view message, std::vector<RuleId>& hits) noexcept;

  // The string value of the i-th captured key in the last event matched,
  // when that event was parsed as a JSON object (not for kUnparsed or
  // kNotJson); valid until the next Match.
  std::optional<std::string_view> Captured(size_t i) const;

  const RuleSet& rules() const { return rules_; }

 private:
  MatchStatus Run(std::string_view message, bool padded, const std::function<bool(RuleId)>& on_hit) noexcept;

  RuleSet rules_;
  std::unique_ptr<detail::RuleSetState> state_;
};

}  // namespace cwlf
