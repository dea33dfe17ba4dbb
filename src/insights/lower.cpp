// Insights filter -> IR. The predicates used are the R-I ones (kValueEq,
// kValueCmp, kPresent) plus kContains and kRegex; see semantics.md R-I3..R-I7.
#include "insights/lower.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include "source/make_diagnostic.hpp"

namespace cwlf::insights {

std::string ToRe2(std::string_view regex) {
  std::string out;
  for (size_t i = 0; i < regex.size(); ++i) {
    if (regex[i] == '\\' && i + 1 < regex.size()) {
      out += regex[i];
      out += regex[++i];
      continue;
    }
    if (regex.substr(i).starts_with("(?<") && i + 3 < regex.size() && regex[i + 3] != '=' && regex[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += regex[i];
  }
  return out;
}

namespace {

struct NotLowerable {
  std::string why;
};

class Lowering {
 public:
  Lowering(std::string_view source, const std::set<std::string>& computed) : source_(source), computed_(computed) {}

  LowerOutcome Run(const Expr& e) {
    LowerOutcome out;
    filter_.kind = PatternKind::kInsights;
    try {
      filter_.root = Lower(e);
    } catch (const NotLowerable& n) {
      out.why_not = n.why;
      out.errors = std::move(errors_);
      return out;
    }
    out.errors = std::move(errors_);
    if (out.errors.empty()) out.filter = std::move(filter_);
    return out;
  }

 private:
  ir::Expr Node(ir::Kind kind, std::vector<ir::Expr> children, SourceSpan span) {
    ir::Expr e;
    e.kind = kind;
    e.children = std::move(children);
    e.span = span;
    return e;
  }

  // An event field as an operand; throws for computed and system fields.
  uint16_t FieldOperand(const Expr& f) {
    if (f.kind != Expr::Kind::kField) throw NotLowerable{"compares something other than an event field"};
    if (f.text == "@message") return filter_.Intern({ir::OperandKind::kMessage, {}, 0});
    if (f.text.empty() || f.text[0] == '@') throw NotLowerable{fmt::format("reads the system field {}", f.text)};
    std::string prefix;
    for (size_t start = 0;;) {
      const size_t dot = f.text.find('.', start);
      prefix = f.text.substr(0, dot);
      if (computed_.count(prefix)) throw NotLowerable{fmt::format("reads the computed field {}", prefix)};
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    ir::Operand op;
    op.kind = ir::OperandKind::kJsonPath;
    size_t start = 0;
    while (true) {
      const size_t dot = f.text.find('.', start);
      ir::PathStep step;
      step.kind = ir::PathStep::kAuto;
      step.key = f.text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      op.path.push_back(std::move(step));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return filter_.Intern(op);
  }

  static bool IsLiteral(const Expr& e) { return e.kind == Expr::Kind::kNumber || e.kind == Expr::Kind::kString; }

  ir::Expr Compare(const std::string& op, const Expr& field, const Expr& literal, SourceSpan span) {
    const uint16_t operand = FieldOperand(field);
    if (filter_.operands[operand].kind == ir::OperandKind::kMessage)
      throw NotLowerable{"compares @message with '=' or an ordering"};
    ir::Expr e;
    e.span = span;
    e.operand = operand;
    e.text = literal.text;
    e.number = literal.number;
    e.literal_is_number = literal.kind == Expr::Kind::kNumber;
    if (op == "=" || op == "!=") {
      e.kind = ir::Kind::kValueEq;
      e.negate = op == "!=";
    } else {
      e.kind = ir::Kind::kValueCmp;
      e.cmp = op == "<" ? ir::CmpOp::kLt : op == "<=" ? ir::CmpOp::kLe : op == ">" ? ir::CmpOp::kGt : ir::CmpOp::kGe;
    }
    return e;
  }

  static std::string Flip(const std::string& op) {
    if (op == "<") return ">";
    if (op == "<=") return ">=";
    if (op == ">") return "<";
    if (op == ">=") return "<=";
    return op;
  }

  ir::Expr Regex(const Expr& field, const Expr& regex, bool negate, SourceSpan span) {
    ir::Expr e;
    e.kind = ir::Kind::kRegex;
    e.operand = FieldOperand(field);
    e.negate = negate;
    e.text = regex.text;
    e.span = span;
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(ToRe2(regex.text), options);
    if (!re->ok()) {
      errors_.push_back(MakeError(ErrorCode::kBadRegex, regex.span,
                                  fmt::format("cannot compile this regular expression: {}", re->error()), source_));
    }
    filter_.regexes.push_back(std::move(re));
    e.count = static_cast<uint32_t>(filter_.regexes.size() - 1);
    if (negate && filter_.operands[e.operand].kind == ir::OperandKind::kMessage) {
      e.negate = false;  // the message is always present: plain negation
      return Node(ir::Kind::kNot, {std::move(e)}, span);
    }
    return e;
  }

  ir::Expr Lower(const Expr& x) {
    if (x.kind == Expr::Kind::kUnary && x.text == "not") return Node(ir::Kind::kNot, {Lower(x.args[0])}, x.span);
    if (x.kind == Expr::Kind::kCall && x.text == "ispresent") {
      ir::Expr e;
      e.kind = ir::Kind::kPresent;
      e.operand = FieldOperand(x.args[0]);
      e.span = x.span;
      if (filter_.operands[e.operand].kind == ir::OperandKind::kMessage) return Node(ir::Kind::kTrue, {}, x.span);
      return e;
    }
    if (x.kind != Expr::Kind::kBinary) throw NotLowerable{"uses an expression the VM does not run"};
    const std::string& op = x.text;
    const Expr& a = x.args[0];
    const Expr& b = x.args[1];
    if (op == "and" || op == "or") {
      return Node(op == "and" ? ir::Kind::kAll : ir::Kind::kAny, {Lower(a), Lower(b)}, x.span);
    }
    if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
      if (a.kind == Expr::Kind::kField && IsLiteral(b)) return Compare(op, a, b, x.span);
      if (b.kind == Expr::Kind::kField && IsLiteral(a)) return Compare(Flip(op), b, a, x.span);
      throw NotLowerable{"compares two computed values"};
    }
    if (op == "like" || op == "not like" || op == "=~") {
      const bool negate = op == "not like";
      if (b.kind == Expr::Kind::kRegex) return Regex(a, b, negate, x.span);
      if (b.kind == Expr::Kind::kString && op != "=~") {
        ir::Expr e;
        e.operand = FieldOperand(a);
        e.span = x.span;
        e.text = b.text;
        if (filter_.operands[e.operand].kind == ir::OperandKind::kMessage) {
          e.kind = ir::Kind::kContains;  // the message is always present: plain negation
          return negate ? Node(ir::Kind::kNot, {std::move(e)}, x.span) : e;
        }
        // On a field, the glob "*s*" (STR_CONTAINS on a string's value or a
        // number's text); its negate flag gives `not like` the R-I5 meaning.
        if (b.text.find('*') != std::string::npos) throw NotLowerable{"likes a string with '*'"};
        e.kind = ir::Kind::kStrMatch;
        e.negate = negate;
        e.text = "*" + b.text + "*";
        return e;
      }
      throw NotLowerable{"matches against a computed pattern"};
    }
    if (op == "in" || op == "not in") {
      std::vector<ir::Expr> tests;
      for (const Expr& v : b.args) {
        if (!IsLiteral(v)) throw NotLowerable{"has a non-literal in its list"};
        tests.push_back(Compare(op == "in" ? "=" : "!=", a, v, x.span));
      }
      return Node(op == "in" ? ir::Kind::kAny : ir::Kind::kAll, std::move(tests), x.span);
    }
    throw NotLowerable{fmt::format("uses '{}'", op)};
  }

  std::string_view source_;
  const std::set<std::string>& computed_;
  ir::Filter filter_;
  std::vector<Diagnostic> errors_;
};

}  // namespace

LowerOutcome LowerFilter(const Expr& expr, std::string_view source, const std::set<std::string>& computed) {
  return Lowering(source, computed).Run(expr);
}

}  // namespace cwlf::insights
