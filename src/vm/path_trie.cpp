// Builds the path trie from a slot table.
#include "vm/path_trie.hpp"

namespace cwlf::vm {

PathTrie PathTrie::Build(const std::vector<ir::Operand>& slots) {
  PathTrie trie;
  trie.nodes.emplace_back();
  for (size_t s = 0; s < slots.size(); ++s) {
    const ir::Operand& operand = slots[s];
    if (operand.kind != ir::OperandKind::kJsonPath) continue;
    uint32_t node = 0;
    std::vector<uint32_t> visited{0};
    for (const ir::PathStep& step : operand.path) {
      int64_t next = -1;
      TrieNode& n = trie.nodes[node];
      if (step.kind == ir::PathStep::kKey) {
        for (auto& [key, child] : n.keys)
          if (key == step.key) next = child;
        if (next < 0) {
          next = static_cast<int64_t>(trie.nodes.size());
          trie.nodes[node].keys.emplace_back(step.key, static_cast<uint32_t>(next));
          trie.nodes.emplace_back();
        }
      } else if (step.kind == ir::PathStep::kAuto) {
        // One node reached by the key and, for a numeric key, by the index.
        for (auto& [key, child] : n.keys)
          if (key == step.key) next = child;
        if (next < 0) {
          next = static_cast<int64_t>(trie.nodes.size());
          trie.nodes[node].keys.emplace_back(step.key, static_cast<uint32_t>(next));
          trie.nodes.emplace_back();
        }
        uint64_t index = 0;
        bool digits = !step.key.empty() && step.key.size() < 10;
        for (char c : step.key) {
          digits &= c >= '0' && c <= '9';
          index = index * 10 + static_cast<uint64_t>(c - '0');
        }
        bool linked = false;
        for (auto& [at, child] : trie.nodes[node].indexes) linked |= at == index && child == next;
        if (digits && !linked)
          trie.nodes[node].indexes.emplace_back(static_cast<uint32_t>(index), static_cast<uint32_t>(next));
      } else if (step.kind == ir::PathStep::kIndex) {
        for (auto& [index, child] : n.indexes)
          if (index == step.index) next = child;
        if (next < 0) {
          next = static_cast<int64_t>(trie.nodes.size());
          trie.nodes[node].indexes.emplace_back(step.index, static_cast<uint32_t>(next));
          trie.nodes.emplace_back();
        }
      } else {
        next = n.wildcard;
        if (next < 0) {
          next = static_cast<int64_t>(trie.nodes.size());
          trie.nodes[node].wildcard = static_cast<int32_t>(next);
          trie.nodes.emplace_back();
        }
      }
      node = static_cast<uint32_t>(next);
      visited.push_back(node);
    }
    trie.nodes[node].slot = static_cast<int32_t>(s);
    for (uint32_t v : visited) trie.nodes[v].subtree_slots.push_back(static_cast<uint16_t>(s));
  }
  return trie;
}

}  // namespace cwlf::vm
