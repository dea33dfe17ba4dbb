// Extraction: the JSON walk over the path trie and the field tokenizer.
// The walk recurses only along trie paths (bounded by the pattern); values
// no path reads are skipped by simdjson without being parsed. An accepted
// event is validated whole by ConfirmJson (semantics.md R-J1, R-J11).
#include "vm/extract.hpp"

#include <array>
#include <charconv>
#include <cstring>

#include "util/number.hpp"

namespace cwlf::vm {

namespace od = simdjson::ondemand;

void Tokenize(std::string_view m, std::vector<Token>& tokens) {
  tokens.clear();
  const uint32_t n = static_cast<uint32_t>(m.size());
  uint32_t i = 0;
  while (i < n) {
    while (i < n && (m[i] == ' ' || m[i] == '\t')) ++i;
    if (i >= n) break;
    Token t;
    t.raw_begin = i;
    const char open = m[i];
    const char close = open == '"' ? '"' : open == '[' ? ']' : 0;
    if (close) {
      const size_t j = m.find(close, i + 1);
      if (j != std::string_view::npos) {
        t.begin = i + 1;
        t.end = static_cast<uint32_t>(j);
        t.raw_end = static_cast<uint32_t>(j + 1);
        tokens.push_back(t);
        i = t.raw_end;
        continue;
      }
      // An unterminated quote or bracket is not a group (R-D2): a plain field.
    }
    while (i < n && m[i] != ' ' && m[i] != '\t') ++i;
    t.begin = t.raw_begin;
    t.end = t.raw_end = i;
    tokens.push_back(t);
  }
}

bool FieldValue(std::string_view m, const std::vector<Token>& tokens, const ir::Operand& operand,
                std::string_view* out) {
  const int64_t count = static_cast<int64_t>(tokens.size());
  int64_t i = operand.index < 0 ? count + operand.index : operand.index;
  if (i < 0 || i >= count) return false;
  const Token& t = tokens[static_cast<size_t>(i)];
  if (operand.kind == ir::OperandKind::kRest && i + 1 < count) {
    // R-D3: the last field takes the rest of the message, raw.
    const Token& last = tokens.back();
    *out = m.substr(t.raw_begin, last.raw_end - t.raw_begin);
    return true;
  }
  *out = m.substr(t.begin, t.end - t.begin);
  return true;
}

namespace {

// A set of trie nodes a JSON value is visited for. Small and fixed: each step
// adds at most a named child and a wildcard child, and a pattern has at most
// three wildcard selectors.
struct NodeSet {
  std::array<uint32_t, 32> ids;
  uint32_t size = 0;
  void Add(uint32_t id) {
    if (size < ids.size()) ids[size++] = id;
  }
  bool Contains(uint32_t id) const {
    for (uint32_t i = 0; i < size; ++i)
      if (ids[i] == id) return true;
    return false;
  }
};

class JsonWalker {
 public:
  JsonWalker(const PathTrie& trie, Scratch& scratch) : trie_(trie), scratch_(scratch) {}

  // The key as written, when it has no escapes: no copy, no unescaping.
  // Measured side by side on the corpus (BM_Match, CPU time): cis_root_usage
  // 41.4 -> 29.9 ms, event_name 30.3 -> 29.6 ms; BM_Floor 13-14 ms.
  bool RawKey(od::field& field, std::string_view* key) const {
    const char* begin = reinterpret_cast<const char*>(field.key().raw());
    const char* end = scratch_.json + scratch_.message.size();
    if (begin < scratch_.json || begin >= end) return false;
    const void* quote = std::memchr(begin, '"', static_cast<size_t>(end - begin));
    if (quote == nullptr) return false;
    const size_t length = static_cast<size_t>(static_cast<const char*>(quote) - begin);
    if (std::memchr(begin, '\\', length) != nullptr) return false;  // escaped: unescape it
    *key = std::string_view(begin, length);
    return true;
  }

  bool WalkObject(od::object object, const NodeSet& nodes) {
    NodeSet seen;  // named children met in this object: a repeat replaces them
    bool wildcard = false;
    for (uint32_t i = 0; i < nodes.size; ++i) wildcard |= trie_.nodes[nodes.ids[i]].wildcard >= 0;
    for (auto field_result : object) {
      od::field field;
      if (std::move(field_result).get(field)) return false;
      if (!wildcard) {
        // A key whose first raw byte starts no trie key is skipped unread:
        // BM_RuleSet/rules:1000/dispatch:1/prefilter:0, three alternating runs
        // side by side: 84.3 -> 75.0 ms mean.
        const auto first = static_cast<unsigned char>(*reinterpret_cast<const char*>(field.key().raw()));
        bool may = false;
        for (uint32_t i = 0; i < nodes.size && !may; ++i) may = trie_.nodes[nodes.ids[i]].MayHaveKey(first);
        if (!may) continue;
      }
      std::string_view key;
      if (!RawKey(field, &key) && field.unescaped_key().get(key)) return false;
      NodeSet next;
      for (uint32_t i = 0; i < nodes.size; ++i) {
        const TrieNode& node = trie_.nodes[nodes.ids[i]];
        for (const auto& [name, child] : node.keys) {
          if (name == key) {
            // R-J10: a key repeated in one object replaces what the earlier
            // one gave (but values gathered through '*' from other objects stay).
            if (seen.Contains(child)) {
              for (uint16_t s : trie_.nodes[child].subtree_slots) scratch_.slots[s].clear();
            } else {
              seen.Add(child);
            }
            next.Add(child);
          }
        }
        if (node.wildcard >= 0) next.Add(static_cast<uint32_t>(node.wildcard));
      }
      if (next.size == 0) continue;  // skipped by the iterator, never parsed
      if (!WalkValue(field.value(), next)) return false;
    }
    return true;
  }

  bool WalkValue(od::value value, const NodeSet& nodes) {
    od::json_type type;
    if (value.type().get(type)) return false;
    bool leaf = false, keyed = false, indexed = false;
    for (uint32_t i = 0; i < nodes.size; ++i) {
      const TrieNode& node = trie_.nodes[nodes.ids[i]];
      leaf |= !node.slots.empty();
      keyed |= !node.keys.empty() || node.wildcard >= 0;
      indexed |= !node.indexes.empty() || node.wildcard >= 0;
    }
    Value v;
    switch (type) {
      case od::json_type::object: {
        v.kind = ValueKind::kObject;
        if (keyed) {
          od::object object;
          if (value.get_object().get(object)) return false;
          if (!WalkObject(object, nodes)) return false;
        }
        break;
      }
      case od::json_type::array: {
        v.kind = ValueKind::kArray;
        if (!indexed && !leaf) break;
        od::array array;
        if (value.get_array().get(array)) return false;
        uint32_t index = 0;
        for (auto element_result : array) {
          od::value element;
          if (std::move(element_result).get(element)) return false;
          NodeSet next;
          for (uint32_t i = 0; i < nodes.size; ++i) {
            const TrieNode& node = trie_.nodes[nodes.ids[i]];
            for (const auto& [at, child] : node.indexes)
              if (at == index) next.Add(child);
            if (node.wildcard >= 0) next.Add(static_cast<uint32_t>(node.wildcard));
          }
          ++index;
          if (leaf) {
            od::json_type element_type;
            if (element.type().get(element_type)) return false;
            if (element_type == od::json_type::null) v.has_null_element = true;
          }
          if (next.size > 0 && !WalkValue(element, next)) return false;
        }
        break;
      }
      case od::json_type::string:
        if (!leaf) return true;
        v.kind = ValueKind::kString;
        if (value.get_string().get(v.text)) return false;
        break;
      case od::json_type::number: {
        if (!leaf) return true;
        v.kind = ValueKind::kNumber;
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                                raw.back() == '\r'))
          raw.remove_suffix(1);
        v.text = raw;
        auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v.number);
        v.numeric = ec == std::errc() || ec == std::errc::result_out_of_range;
        break;
      }
      case od::json_type::boolean: {
        if (!leaf) return true;
        bool b = false;
        if (value.get_bool().get(b)) return false;
        v.kind = b ? ValueKind::kTrue : ValueKind::kFalse;
        break;
      }
      case od::json_type::null:
        if (!leaf) return true;
        v.kind = ValueKind::kNull;
        break;
    }
    if (leaf) {
      for (uint32_t i = 0; i < nodes.size; ++i) {
        for (const uint16_t slot : trie_.nodes[nodes.ids[i]].slots) scratch_.slots[slot].push_back(v);
      }
    }
    return true;
  }

 private:
  const PathTrie& trie_;
  Scratch& scratch_;
};

bool ParseJson(const detail::Image& image, std::string_view message, Scratch& scratch, bool padded) {
  // A NUL byte is never valid JSON, but simdjson may read it as a terminator.
  if (std::memchr(message.data(), 0, message.size()) != nullptr) return false;
  // simdjson needs SIMDJSON_PADDING readable bytes past the end; their content
  // does not matter. In place, the scan's batches give them: the copy cost
  // 10% of the pack scan's profile (perf, 200 MB generated NDJSON).
  if (padded) {
    scratch.json = message.data();
  } else {
    const size_t needed = message.size() + simdjson::SIMDJSON_PADDING;
    if (scratch.buffer.size() < needed) scratch.buffer.resize(needed);
    std::memcpy(scratch.buffer.data(), message.data(), message.size());
    std::memset(scratch.buffer.data() + message.size(), 0, simdjson::SIMDJSON_PADDING);
    scratch.json = scratch.buffer.data();
  }
  od::document doc;
  if (scratch.parser.iterate(scratch.json, message.size(), message.size() + simdjson::SIMDJSON_PADDING).get(doc))
    return false;
  od::object object;
  if (doc.get_object().get(object)) return false;
  JsonWalker walker(image.trie, scratch);
  NodeSet root;
  root.Add(0);
  if (!walker.WalkObject(object, root)) return false;
  // Anything after the object makes the event not JSON: current_location()
  // only succeeds while input remains.
  const char* rest = nullptr;
  return doc.current_location().get(rest) != simdjson::SUCCESS;
}

}  // namespace

bool ConfirmJson(const detail::Image& image, Scratch& scratch) noexcept {
  if (!image.needs_json || !scratch.json_object) return true;
  simdjson::dom::element doc;
  if (!scratch.validator.parse(scratch.json, scratch.message.size(), false).get(doc)) return true;
  scratch.json_object = false;
  for (size_t s = 0; s < image.slots.size() && s < scratch.slots.size(); ++s)
    if (image.slots[s].kind == ir::OperandKind::kJsonPath) scratch.slots[s].clear();
  return false;
}

MatchStatus Extract(const detail::Image& image, std::string_view message, Scratch& scratch, bool padded) noexcept {
  scratch.message = message;
  scratch.json_object = false;
  if (scratch.slots.size() != image.slots.size()) scratch.slots.resize(image.slots.size());
  for (auto& values : scratch.slots) values.clear();
  MatchStatus status = MatchStatus::kOk;
  if (image.needs_json) {
    scratch.json_object = ParseJson(image, message, scratch, padded);
    if (!scratch.json_object) {
      for (auto& values : scratch.slots) values.clear();
      status = MatchStatus::kNotJson;
    }
  }
  if (image.needs_fields) {
    Tokenize(message, scratch.tokens);
    for (size_t s = 0; s < image.slots.size(); ++s) {
      const ir::Operand& operand = image.slots[s];
      if (operand.kind != ir::OperandKind::kField && operand.kind != ir::OperandKind::kRest) continue;
      Value v;
      v.kind = ValueKind::kField;
      if (!FieldValue(message, scratch.tokens, operand, &v.text)) continue;
      v.numeric = util::ParseNumber(v.text, &v.number);
      scratch.slots[s].push_back(v);
    }
  }
  return status;
}

}  // namespace cwlf::vm
