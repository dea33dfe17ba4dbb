// Builds the path trie from a slot table.
#include "vm/path_trie.hpp"

#include <string>

namespace cwlf::vm {

namespace {

// The child of `node` under `key` (or `index`), created when missing.
uint32_t KeyChild(PathTrie& trie, uint32_t node, const std::string& key) {
  for (const auto& [k, child] : trie.nodes[node].keys)
    if (k == key) return child;
  const auto child = static_cast<uint32_t>(trie.nodes.size());
  trie.nodes[node].keys.emplace_back(key, child);
  trie.nodes.emplace_back();
  return child;
}

uint32_t IndexChild(PathTrie& trie, uint32_t node, uint32_t index) {
  for (const auto& [at, child] : trie.nodes[node].indexes)
    if (at == index) return child;
  const auto child = static_cast<uint32_t>(trie.nodes.size());
  trie.nodes[node].indexes.emplace_back(index, child);
  trie.nodes.emplace_back();
  return child;
}

uint32_t WildcardChild(PathTrie& trie, uint32_t node) {
  if (trie.nodes[node].wildcard < 0) {
    trie.nodes[node].wildcard = static_cast<int32_t>(trie.nodes.size());
    trie.nodes.emplace_back();
  }
  return static_cast<uint32_t>(trie.nodes[node].wildcard);
}

// A Logs Insights segment: the key's node, also reached by the index when
// the key is a number (`items.0`).
uint32_t AutoChild(PathTrie& trie, uint32_t node, const std::string& key) {
  const uint32_t child = KeyChild(trie, node, key);
  if (key.empty() || key.size() >= 10 || key.find_first_not_of("0123456789") != std::string::npos) return child;
  const auto index = static_cast<uint32_t>(std::stoul(key));
  for (const auto& [at, c] : trie.nodes[node].indexes)
    if (at == index && c == child) return child;
  trie.nodes[node].indexes.emplace_back(index, child);
  return child;
}

}  // namespace

PathTrie PathTrie::Build(const std::vector<ir::Operand>& slots) {
  PathTrie trie;
  trie.nodes.emplace_back();
  for (size_t s = 0; s < slots.size(); ++s) {
    const ir::Operand& operand = slots[s];
    if (operand.kind != ir::OperandKind::kJsonPath) continue;
    uint32_t node = 0;
    std::vector<uint32_t> visited{0};
    for (const ir::PathStep& step : operand.path) {
      uint32_t next = 0;
      switch (step.kind) {
        case ir::PathStep::kKey: next = KeyChild(trie, node, step.key); break;
        case ir::PathStep::kAuto: next = AutoChild(trie, node, step.key); break;
        case ir::PathStep::kIndex: next = IndexChild(trie, node, step.index); break;
        case ir::PathStep::kWildcard: next = WildcardChild(trie, node); break;
      }
      node = static_cast<uint32_t>(next);
      visited.push_back(node);
    }
    trie.nodes[node].slots.push_back(static_cast<uint16_t>(s));
    for (uint32_t v : visited) trie.nodes[v].subtree_slots.push_back(static_cast<uint16_t>(s));
  }
  for (TrieNode& n : trie.nodes) {
    auto mark = [&n](unsigned char c) { n.first_bytes[c >> 6] |= uint64_t{1} << (c & 63); };
    if (n.keys.empty()) continue;
    mark('\\');
    for (const auto& [key, child] : n.keys) mark(key.empty() ? '"' : static_cast<unsigned char>(key[0]));
  }
  return trie;
}

}  // namespace cwlf::vm
