// A naive tree-walking evaluator of the IR. Every rule of semantics.md it
// applies is written out here a second time, as plainly as possible.
#include "reference/reference_eval.hpp"

#include <re2/re2.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "vm/image.hpp"

namespace cwlf::reference {

namespace {

// ---- a JSON tree that keeps numbers' text -------------------------------------
struct JNode {
  enum Type { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject };
  JNode();  // defined below: clang needs JNode complete for pair<string, JNode>
  explicit JNode(Type t) : type(t) {}
  Type type = kNull;
  std::string text;  // string value or number text
  double number = 0;
  std::vector<std::pair<std::string, JNode>> members;  // in document order, duplicates kept
  std::vector<JNode> elements;
};
JNode::JNode() = default;

// Builds the tree from nlohmann's SAX events (which give floats' raw text).
// Children are owned separately and moved into their parent when it closes,
// so no pointer into a growing vector is ever kept.
class SafeBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  // R-J11: an event nested deeper than 1024 levels is not JSON.
  static constexpr size_t kMaxDepth = 1024;
  std::vector<std::unique_ptr<JNode>> owned;
  JNode* root = nullptr;
  bool too_deep = false;

  bool null() override { return Add(JNode::kNull); }
  bool boolean(bool v) override { return Add(v ? JNode::kTrue : JNode::kFalse); }
  bool number_integer(number_integer_t v) override { return AddNumber(static_cast<double>(v), std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return AddNumber(static_cast<double>(v), std::to_string(v)); }
  bool number_float(number_float_t v, const string_t& raw) override { return AddNumber(v, raw); }
  bool string(string_t& v) override {
    Add(JNode::kString);
    last_->text = v;
    return true;
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return Open(JNode::kObject); }
  bool key(string_t& k) override {
    keys_.back() = k;
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(JNode::kArray); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool AddNumber(double v, std::string raw) {
    Add(JNode::kNumber);
    last_->number = v;
    last_->text = std::move(raw);
    return true;
  }
  bool Add(JNode::Type type) {
    auto node = std::make_unique<JNode>();
    node->type = type;
    last_ = node.get();
    if (stack_.empty()) root = node.get();
    else children_.back().emplace_back(keys_.back(), node.get());
    owned.push_back(std::move(node));
    return true;
  }
  bool Open(JNode::Type type) {
    if (stack_.size() >= kMaxDepth) {
      too_deep = true;
      return false;
    }
    Add(type);
    stack_.push_back(last_);
    children_.emplace_back();
    keys_.emplace_back();
    return true;
  }
  bool Close() {
    // Move the finished children into their parent, in order.
    JNode* node = stack_.back();
    for (auto& [key, child] : children_.back()) {
      if (node->type == JNode::kObject) node->members.emplace_back(key, std::move(*child));
      else node->elements.push_back(std::move(*child));
    }
    stack_.pop_back();
    children_.pop_back();
    keys_.pop_back();
    return true;
  }
  JNode* last_ = nullptr;
  std::vector<JNode*> stack_;
  std::vector<std::vector<std::pair<std::string, JNode*>>> children_;
  std::vector<std::string> keys_;
};

// Parses a whole event; false unless it is one JSON object (R-J1).
bool ParseObject(std::string_view message, JNode* out) {
  // nlohmann reads a NUL byte as the end of the input; JSON has no place for
  // one (R-J1), so an event holding one is not JSON (the fuzzer found a
  // trailing NUL accepted here).
  if (message.find('\0') != std::string_view::npos) return false;
  SafeBuilder builder;
  const bool ok = nlohmann::json::sax_parse(message.begin(), message.end(), &builder,
                                            nlohmann::json::input_format_t::json, true);
  if (!ok || builder.too_deep || builder.root == nullptr || builder.root->type != JNode::kObject)
    return false;
  *out = std::move(*builder.root);
  return true;
}

// ---- path resolution -------------------------------------------------------
void Resolve(const JNode& node, const std::vector<ir::PathStep>& path, size_t i,
             std::vector<const JNode*>& out) {
  if (i == path.size()) {
    out.push_back(&node);
    return;
  }
  const ir::PathStep& step = path[i];
  if (step.kind == ir::PathStep::kKey) {
    if (node.type != JNode::kObject) return;
    const JNode* found = nullptr;
    for (const auto& [key, value] : node.members)
      if (key == step.key) found = &value;  // the last duplicate wins (R-J10)
    if (found) Resolve(*found, path, i + 1, out);
  } else if (step.kind == ir::PathStep::kIndex) {
    if (node.type == JNode::kArray && step.index < node.elements.size())
      Resolve(node.elements[step.index], path, i + 1, out);
  } else if (step.kind == ir::PathStep::kAuto) {
    if (node.type == JNode::kObject) {
      const JNode* found = nullptr;
      for (const auto& [key, value] : node.members)
        if (key == step.key) found = &value;
      if (found) Resolve(*found, path, i + 1, out);
    } else if (node.type == JNode::kArray && !step.key.empty() &&
               step.key.find_first_not_of("0123456789") == std::string::npos && step.key.size() < 10) {
      const size_t index = std::stoul(step.key);
      if (index < node.elements.size()) Resolve(node.elements[index], path, i + 1, out);
    }
  } else {
    if (node.type == JNode::kArray)
      for (const JNode& e : node.elements) Resolve(e, path, i + 1, out);
    if (node.type == JNode::kObject)
      for (const auto& [key, value] : node.members) Resolve(value, path, i + 1, out);
  }
}

// ---- space-delimited fields -------------------------------------------------
struct Field {
  std::string value;     // quotes/brackets stripped
  size_t raw_start = 0;  // where it starts in the message
  size_t raw_stop = 0;   // one past where it ends
};

std::vector<Field> SplitFields(std::string_view m) {
  std::vector<Field> fields;
  size_t i = 0;
  while (true) {
    while (i < m.size() && (m[i] == ' ' || m[i] == '\t')) ++i;
    if (i >= m.size()) break;
    Field f;
    f.raw_start = i;
    char closer = m[i] == '"' ? '"' : m[i] == '[' ? ']' : '\0';
    size_t close_at = closer ? m.find(closer, i + 1) : std::string_view::npos;
    if (close_at != std::string_view::npos) {
      f.value = std::string(m.substr(i + 1, close_at - i - 1));
      f.raw_stop = close_at + 1;
    } else {
      size_t j = i;
      while (j < m.size() && m[j] != ' ' && m[j] != '\t') ++j;
      f.value = std::string(m.substr(i, j - i));
      f.raw_stop = j;
    }
    i = f.raw_stop;
    fields.push_back(std::move(f));
  }
  return fields;
}

// ---- values ---------------------------------------------------------------------
struct Scalar {
  bool is_scalar = false;
  bool is_string = false;  // a JSON string (not a number, not a field)
  bool is_field = false;
  std::string text;
  bool has_number = false;
  double number = 0;
};

bool LooksNumeric(const std::string& s, double* value) {
  // sign? digits [. digits] [e sign? digits]; the same literal as patterns use.
  size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (!digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t e = 0;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i, ++e;
    if (!e) return false;
  }
  if (i != s.size()) return false;
  *value = std::strtod(s.c_str() + (s[0] == '+' ? 1 : 0), nullptr);
  return true;
}

// The glob of R-G1 written out plainly.
bool GlobMatches(const std::string& pattern, const std::string& s, GlobMode mode) {
  if (mode == GlobMode::kEdgesOnly) {
    std::string body = pattern;
    bool any_start = !body.empty() && body[0] == '*';
    if (any_start) body.erase(0, 1);
    bool any_end = !body.empty() && body.back() == '*';
    if (any_end) body.pop_back();
    if (any_start && any_end) return s.find(body) != std::string::npos;
    if (any_start) return s.size() >= body.size() && s.compare(s.size() - body.size(), body.size(), body) == 0;
    if (any_end) return s.compare(0, body.size(), body) == 0;
    return s == body;
  }
  if (pattern.find('*') == std::string::npos) return s == pattern;
  std::vector<std::string> parts;
  std::string cur;
  for (char c : pattern) {
    if (c == '*') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  // parts[0] anchors at the start; each later part is found at its first
  // occurrence; the last must end the string unless the pattern ends in '*'.
  if (s.compare(0, parts[0].size(), parts[0]) != 0) return false;
  size_t pos = parts[0].size();
  size_t end_of_last = pos;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    size_t at = s.find(parts[i], pos);
    if (at == std::string::npos) return false;
    pos = at + parts[i].size();
    end_of_last = pos;
  }
  if (!parts.back().empty()) return end_of_last == s.size();
  return true;
}

class Evaluator {
 public:
  Evaluator(const detail::Image& image, std::string_view message) : image_(image), message_(message) {
    const ir::Filter& f = image.filter;
    if (f.kind == PatternKind::kJson || f.kind == PatternKind::kInsights) is_json_ = ParseObject(message, &root_);
    if (f.kind == PatternKind::kDelimited) fields_ = SplitFields(message);
  }

  bool Eval(const ir::Expr& e) {
    using ir::Kind;
    switch (e.kind) {
      case Kind::kTrue: return true;
      case Kind::kFalse: return false;
      case Kind::kAll:
        for (const auto& c : e.children)
          if (!Eval(c)) return false;
        return true;
      case Kind::kAny:
        for (const auto& c : e.children)
          if (Eval(c)) return true;
        return false;
      case Kind::kNot: return !Eval(e.children.front());
      case Kind::kIsJsonObject: return is_json_;
      case Kind::kMinFields: return fields_.size() >= e.count;
      case Kind::kExactFields: return fields_.size() == e.count;
      case Kind::kContains: return message_.find(e.text) != std::string_view::npos;
      default: break;
    }
    const ir::Operand& operand = image_.filter.operands[e.operand];
    if (operand.kind == ir::OperandKind::kMessage) {
      const RE2& re = *image_.filter.regexes[e.count];
      return RE2::PartialMatch(std::string(message_), re);
    }
    std::vector<const JNode*> nodes;
    std::vector<Scalar> scalars;
    if (operand.kind == ir::OperandKind::kJsonPath) {
      if (is_json_) Resolve(root_, operand.path, 0, nodes);
      for (const JNode* n : nodes) {
        Scalar s;
        if (n->type == JNode::kString || n->type == JNode::kNumber) {
          s.is_scalar = true;
          s.is_string = n->type == JNode::kString;
          s.text = n->text;
          s.has_number = n->type == JNode::kNumber;
          s.number = n->number;
        }
        scalars.push_back(s);
      }
    } else {
      Scalar s;
      if (FieldText(operand, &s.text)) {
        s.is_scalar = s.is_field = true;
        s.has_number = LooksNumeric(s.text, &s.number);
        scalars.push_back(s);
      }
    }
    if (e.kind == ir::Kind::kPresent || e.kind == ir::Kind::kValueEq || e.kind == ir::Kind::kValueCmp)
      return InsightsTest(e, nodes);
    switch (e.kind) {
      case ir::Kind::kExists: return !nodes.empty();
      case ir::Kind::kIsNull:
        for (const JNode* n : nodes) {
          if (n->type == JNode::kNull) return true;
          if (n->type == JNode::kArray)
            for (const JNode& el : n->elements)
              if (el.type == JNode::kNull) return true;
        }
        return false;
      case ir::Kind::kIsTrue:
        for (const JNode* n : nodes)
          if (n->type == JNode::kTrue) return true;
        return false;
      case ir::Kind::kIsFalse:
        for (const JNode* n : nodes)
          if (n->type == JNode::kFalse) return true;
        return false;
      case ir::Kind::kNumCmp:
        for (const Scalar& s : scalars) {
          if (!s.has_number) continue;
          if (e.cmp == ir::CmpOp::kLt && s.number < e.number) return true;
          if (e.cmp == ir::CmpOp::kLe && s.number <= e.number) return true;
          if (e.cmp == ir::CmpOp::kGt && s.number > e.number) return true;
          if (e.cmp == ir::CmpOp::kGe && s.number >= e.number) return true;
        }
        return false;
      default: break;
    }
    // = and != on scalars (R-J3..R-J5).
    for (const Scalar& s : scalars) {
      if (!s.is_scalar) continue;
      bool equal = false;
      if (e.kind == ir::Kind::kStrMatch) {
        equal = GlobMatches(e.text, s.text, image_.filter.glob_mode);
      } else if (e.kind == ir::Kind::kRegex) {
        equal = RE2::PartialMatch(s.text, *image_.filter.regexes[e.count]);
      } else if (e.kind == ir::Kind::kNumEq) {
        if (s.is_string) equal = s.text == e.text;
        else if (s.is_field) equal = (s.has_number && s.number == e.number) || s.text == e.text;
        else equal = s.number == e.number;
      }
      if (equal != e.negate) return true;
    }
    return false;
  }

  // Logs Insights comparisons (R-I3..R-I6), spelled out: booleans are 1 and
  // 0, numeric strings are numbers, other strings compare by text.
  bool InsightsTest(const ir::Expr& e, const std::vector<const JNode*>& nodes) const {
    double literal = 0;
    const bool literal_numeric = LooksNumeric(e.text, &literal);
    for (const JNode* n : nodes) {
      std::string text;
      double number = 0;
      bool numeric = false;
      if (n->type == JNode::kTrue || n->type == JNode::kFalse) {
        text = n->type == JNode::kTrue ? "1" : "0";
        number = n->type == JNode::kTrue ? 1 : 0;
        numeric = true;
      } else if (n->type == JNode::kNumber) {
        text = n->text;
        number = n->number;
        numeric = true;
      } else if (n->type == JNode::kString) {
        text = n->text;
        numeric = LooksNumeric(text, &number);
      } else {
        continue;  // null, arrays and objects are not present and compare with nothing
      }
      if (e.kind == ir::Kind::kPresent) return true;
      if (e.kind == ir::Kind::kValueEq) {
        const bool equal = (literal_numeric && numeric) ? number == literal : text == e.text;
        if (equal != e.negate) return true;
        continue;
      }
      int order = 2;
      if (literal_numeric && numeric) order = number < literal ? -1 : number > literal ? 1 : 0;
      else if (!e.literal_is_number && n->type == JNode::kString) order = text < e.text ? -1 : text > e.text ? 1 : 0;
      if (order == 2) continue;
      if ((e.cmp == ir::CmpOp::kLt && order < 0) || (e.cmp == ir::CmpOp::kLe && order <= 0) ||
          (e.cmp == ir::CmpOp::kGt && order > 0) || (e.cmp == ir::CmpOp::kGe && order >= 0))
        return true;
    }
    return false;
  }

  bool FieldText(const ir::Operand& operand, std::string* out) const {
    const long n = static_cast<long>(fields_.size());
    const long i = operand.index < 0 ? n + operand.index : operand.index;
    if (i < 0 || i >= n) return false;
    if (operand.kind == ir::OperandKind::kRest && i < n - 1) {
      *out = std::string(message_.substr(fields_[static_cast<size_t>(i)].raw_start,
                                         fields_.back().raw_stop - fields_[static_cast<size_t>(i)].raw_start));
    } else {
      *out = fields_[static_cast<size_t>(i)].value;
    }
    return true;
  }

  std::vector<ExtractedValue> Extracted() const {
    std::vector<ExtractedValue> out;
    const long n = static_cast<long>(fields_.size());
    long stop = n;
    std::vector<std::string> names(fields_.size());
    std::vector<bool> rest(fields_.size(), false);
    for (const ir::FieldName& f : image_.filter.fields) {
      const long at = f.index < 0 ? n + f.index : f.index;
      if (at < 0 || at >= n) continue;
      names[static_cast<size_t>(at)] = f.name;
      rest[static_cast<size_t>(at)] = f.rest;
      if (f.rest) stop = at + 1;
    }
    for (long i = 0; i < stop; ++i) {
      ir::Operand operand;
      operand.kind = rest[static_cast<size_t>(i)] ? ir::OperandKind::kRest : ir::OperandKind::kField;
      operand.index = static_cast<int32_t>(i);
      std::string value;
      FieldText(operand, &value);
      const std::string& name = names[static_cast<size_t>(i)];
      out.push_back({name.empty() ? "$" + std::to_string(i + 1) : "$" + name, value});
    }
    return out;
  }

 private:
  const detail::Image& image_;
  std::string_view message_;
  bool is_json_ = false;
  JNode root_;
  std::vector<Field> fields_;
};

}  // namespace

Answer Evaluate(const Program& program, std::string_view message) {
  Answer answer;
  if (message.size() > kMaxEventBytes) return answer;
  Evaluator evaluator(program.image(), message);
  answer.matched = evaluator.Eval(program.image().filter.root);
  if (answer.matched && program.kind() == PatternKind::kDelimited) answer.extracted = evaluator.Extracted();
  return answer;
}

}  // namespace cwlf::reference
