// detail::RuleSetImage: everything a built RuleSet is. Linked rule programs
// over one global slot table, the extraction image, the dispatch table and
// the prefilter. Built by rule_set.cpp, written and read back (verified) by
// serialize.cpp, read by RuleSetMatcher.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cwlf/rule_set.hpp"
#include "rule_set/prefilter.hpp"
#include "vm/image.hpp"

namespace cwlf {

namespace detail {

// Lets the dispatch table be searched with the event's string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct RuleSetImage {
  RuleSetOptions options;
  std::vector<RuleId> ids;
  std::vector<std::shared_ptr<const Image>> rules;  // code with global slot numbers
  Image extraction;                                 // global slots, trie, needs_* (no code)
  // Equality dispatch: the rules to run when `dispatch_slot` holds a value,
  // already merged with `always` and sorted at build time; `always` alone
  // when the value is absent or listed by no rule. The dispatch path has no
  // '*', so the slot holds at most one value (R-J10).
  int dispatch_slot = -1;
  std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>> by_value;
  std::vector<uint32_t> always;  // every rule when there is no dispatch
  // Raw-byte prefilter (null when off); raw_key: the dispatch field's last
  // key, when the keyed dispatch can read it from raw bytes ("" otherwise).
  std::unique_ptr<const Prefilter> prefilter;
  std::string raw_key;
  std::vector<uint16_t> captures;  // global slots of Builder::Capture keys
};

}  // namespace detail

}  // namespace cwlf
