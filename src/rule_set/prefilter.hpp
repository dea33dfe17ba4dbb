// Raw-byte prefilter for a RuleSet: decides from an event's bytes, before any
// parsing, which rules may still match it; when none may, the event is not
// parsed at all. Two exact tests (semantics.md R-S6):
//   * keyed dispatch: for rules that require exact values of one field
//     (the RuleSet's dispatch field, $.eventName in CloudTrail packs), the
//     values written after that key in the raw bytes ("eventName":"X");
//   * literals: for the other rules, the literals their IR cannot match
//     without, and the atoms of their regexes (RE2's FilteredRE2, matched
//     caseless), found by one Vectorscan scan.
// Never a guess: a literal is used only where its occurrence in the text the
// rule reads implies its occurrence in the raw bytes. Message terms and
// delimited fields read raw bytes; JSON strings are decoded, so a JSON literal
// must not hold '"', '\', '/' or a control character (all that the short
// escapes produce), and an event whose bytes hold "\u" anywhere is parsed for
// every rule. Not a matcher: rule_set.cpp runs the rules it leaves.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/ir.hpp"

struct hs_database;
struct hs_scratch;
namespace re2 {
class FilteredRE2;
}  // namespace re2

namespace cwlf::detail {

// One of `literals` must occur in the event's raw bytes, or one of `regexes`
// may match them (RE2's FilteredRE2 atoms, found caseless), for the rule to
// match.
struct LiteralGroup {
  std::vector<std::string> literals;
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
};
// Every group must be met. No groups: the literals cannot rule the rule out.
std::vector<LiteralGroup> RequiredLiterals(const ir::Filter& filter);

// Whether `key` can be found in raw bytes as written: no escapable characters.
bool UsableRawKey(std::string_view key);

class Prefilter {
 public:
  enum class Role : uint8_t {
    kCovered,  // the keyed dispatch decides for it
    kFiltered, // its literal groups decide for it
    kAlways,   // nothing raw rules it out
  };
  // `roles[r]` per rule; `groups[r]` for kFiltered rules; `raw_key` the
  // dispatch field's key (UsableRawKey), "" when no rule is kCovered. Null
  // with *why set when Vectorscan refuses the literals. `database`: a
  // Vectorscan database serialized by SerializedDatabase() from the same
  // inputs, loaded instead of compiled (a rule-set image).
  static std::unique_ptr<Prefilter> Build(const std::vector<Role>& roles,
                                          const std::vector<std::vector<LiteralGroup>>& groups,
                                          std::string raw_key, std::string* why,
                                          std::string_view database = {});
  // What it was built from, and its database's bytes ("" when none).
  const std::vector<Role>& roles() const { return roles_; }
  const std::vector<std::vector<LiteralGroup>>& groups() const { return groups_in_; }
  const std::string& raw_key() const { return raw_key_; }
  std::string SerializedDatabase() const;
  ~Prefilter();

  // Per-thread scanning state.
  class State {
   public:
    explicit State(const Prefilter& prefilter);
    ~State();
    State(const State&) = delete;
    State& operator=(const State&) = delete;

   private:
    friend class Prefilter;
    hs_scratch* scratch_ = nullptr;
    std::vector<uint64_t> seen_;  // one bit per literal
    std::vector<int> atoms_;      // FilteredRE2 atoms seen
    std::vector<int> potentials_;
    std::vector<uint8_t> regex_may_match_;
    std::vector<uint32_t> key_ends_;  // where "raw_key" occurrences end
    bool key_overflow_ = false;
  };

  // Sets passes[r] for every rule the literals cannot rule out (kCovered and
  // kAlways rules always pass) and returns how many kFiltered and kAlways
  // rules pass, plus one when a value written after "raw_key" is one that
  // `dispatch_value` wants (or cannot be read exactly). So 0 means that no
  // rule can match. -1 when the bytes hold "\u" or the scan fails: then every
  // rule must be considered and `passes` means nothing.
  int Scan(std::string_view message, State& state, std::vector<uint8_t>& passes,
           const std::function<bool(std::string_view)>& dispatch_value) const;

  size_t literal_count() const { return literals_.size(); }
  size_t filtered_rule_count() const { return filtered_rules_; }

 private:
  Prefilter() = default;

  std::vector<Role> roles_;
  std::vector<std::vector<LiteralGroup>> groups_in_;
  hs_database* database_ = nullptr;  // null when no rule is kFiltered
  std::vector<std::string> literals_;          // id = position
  std::vector<std::vector<uint32_t>> groups_;  // literal ids per group
  std::vector<std::vector<uint32_t>> group_regexes_;  // FilteredRE2 ids per group
  std::unique_ptr<re2::FilteredRE2> filtered_;        // null without regex groups
  std::vector<int> literal_atom_;                     // literal id -> atom index, -1 for plain literals
  std::vector<uint32_t> regex_rules_;                 // rules with a regex in some group: checked every event
  std::vector<std::vector<uint32_t>> rule_groups_;
  std::vector<std::vector<uint32_t>> literal_rules_;  // literal -> rules whose first group holds it
  std::vector<uint8_t> base_passes_;                  // 1 for kCovered and kAlways rules
  std::string raw_key_;
  uint32_t key_id_ = UINT32_MAX;                      // the literal "raw_key"
  size_t always_ = 0;                                 // kAlways rules
  size_t filtered_rules_ = 0;
};

}  // namespace cwlf::detail
