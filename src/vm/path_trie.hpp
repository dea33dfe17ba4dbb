// The JSON paths a program reads, merged into one trie, so one forward pass
// of simdjson On-Demand over an event fills every slot and skips the rest.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ir/ir.hpp"

namespace cwlf::vm {

struct TrieNode {
  std::vector<std::pair<std::string, uint32_t>> keys;     // child by object key
  std::vector<std::pair<uint32_t, uint32_t>> indexes;     // child by array index
  int32_t wildcard = -1;                                  // child for '*'
  // The slots that end here: more than one when different operands reach
  // one node ($.a as a filter key and `a` as a Logs Insights name in one RuleSet).
  std::vector<uint16_t> slots;
  std::vector<uint16_t> subtree_slots;                    // cleared when a key repeats (R-J10)
  // The first bytes of `keys` as written in raw JSON, '\\' (an escaped key
  // may decode to anything) and '"' for an empty key: a key starting with any
  // other byte is none of them. Set by Build.
  std::array<uint64_t, 4> first_bytes{};
  bool MayHaveKey(unsigned char c) const { return (first_bytes[c >> 6] >> (c & 63)) & 1; }
  bool has_children() const { return !keys.empty() || !indexes.empty() || wildcard >= 0; }
};

struct PathTrie {
  std::vector<TrieNode> nodes;  // nodes[0] is the root ($)
  bool empty() const { return nodes.size() <= 1; }
  // Adds the JSON-path operands of `slots` (others are ignored).
  static PathTrie Build(const std::vector<ir::Operand>& slots);
};

}  // namespace cwlf::vm
