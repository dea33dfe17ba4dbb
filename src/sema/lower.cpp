// Checks the syntax tree and lowers it to IR. Only Lower() is public. The
// semantics each branch implements are numbered rules in grammar/semantics.md
// (R-T* terms, R-X* regex, R-J* JSON, R-D* space-delimited, R-G* globs).
#include "sema/lower.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "ir/glob.hpp"
#include "sema/regex_dialect.hpp"
#include "source/make_diagnostic.hpp"
#include "util/number.hpp"

namespace cwlf::sema {

bool Lowered::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

namespace {

using ir::Expr;
using ir::Kind;

class Lowerer {
 public:
  Lowerer(std::string_view source, const CompileOptions& options)
      : source_(source), options_(options) {
    out_.filter.glob_mode = options.glob_mode;
  }

  Lowered Run(const parse::ParsedPattern& parsed) {
    out_.filter.kind = parsed.kind;
    switch (parsed.kind) {
      case PatternKind::kTerms: out_.filter.root = LowerTerms(parsed.terms); break;
      case PatternKind::kJson: out_.filter.root = LowerJson(parsed.json); break;
      case PatternKind::kDelimited: out_.filter.root = LowerDelimited(parsed.delimited); break;
      case PatternKind::kInsights: break;  // lowered by src/insights/lower.cpp
    }
    std::stable_sort(out_.diagnostics.begin(), out_.diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.span.begin < b.span.begin; });
    return std::move(out_);
  }

 private:
  void Report(ErrorCode code, SourceSpan span, std::string message,
              Severity severity = Severity::kError) {
    out_.diagnostics.push_back(MakeDiagnostic(code, severity, span, std::move(message), source_));
  }

  static SourceSpan SpanOf(const ast::Spanned& node) { return {node.begin, node.end}; }

  static Expr Leaf(Kind kind, uint16_t operand, SourceSpan span) {
    Expr e;
    e.kind = kind;
    e.operand = operand;
    e.span = span;
    return e;
  }

  static Expr Node(Kind kind, std::vector<Expr> children, SourceSpan span) {
    Expr e;
    e.kind = kind;
    e.children = std::move(children);
    e.span = span;
    return e;
  }

  // ---- regular expressions (R-X1..R-X4) ---------------------------------
  // Returns the regex index, or -1 after reporting a problem. `value` spans
  // the whole %...% literal.
  int CompileRegex(const ast::Value& value) {
    if (++regex_count_ == options_.max_regexes + 1) {
      Report(ErrorCode::kLimitExceeded, SpanOf(value),
             fmt::format("a filter pattern may hold at most {} regular expressions",
                         options_.max_regexes));
    }
    const uint32_t body_begin = value.begin + 1;
    if (auto problem = CheckAwsRegex(value.text)) {
      Report(problem->code, {body_begin + problem->offset, body_begin + problem->offset + problem->length},
             problem->message);
      return -1;
    }
    RE2::Options re_options;
    re_options.set_log_errors(false);
    re_options.set_dot_nl(true);  // R-X2: '.' is any character, newline included
    re_options.set_max_mem(options_.regex_max_mem);
    auto re = std::make_shared<const RE2>(value.text, re_options);
    if (!re->ok()) {
      Report(ErrorCode::kBadRegex, SpanOf(value),
             fmt::format("failed to compile regular expression: {}", re->error()));
      return -1;
    }
    out_.filter.regexes.push_back(std::move(re));
    return static_cast<int>(out_.filter.regexes.size() - 1);
  }

  // ---- term patterns (R-T1..R-T8) -------------------------------------------
  Expr LowerTerms(const ast::TermPattern& pattern) {
    const uint16_t message = out_.filter.Intern({ir::OperandKind::kMessage, {}, 0});
    std::vector<Expr> required, optional;
    for (size_t i = 0; i < pattern.terms.size(); ++i) {
      const ast::Term& term = pattern.terms[i];
      const ast::Value& atom = term.atom;
      Expr test;
      if (atom.kind == 'r') {
        const int re = CompileRegex(atom);
        test = Leaf(Kind::kRegex, message, SpanOf(term));
        test.text = atom.text;
        test.count = re < 0 ? 0 : static_cast<uint32_t>(re);
      } else {
        if (atom.kind == 'b') CheckBareTerm(atom);
        if (atom.kind == 'q' && atom.text.empty()) {
          Report(ErrorCode::kInvalidCharacter, SpanOf(atom),
                 "an empty quoted term '\"\"' is rejected by AWS; an empty pattern matches "
                 "every event");
          continue;
        }
        test = Leaf(Kind::kContains, message, SpanOf(term));
        test.text = atom.text;
      }
      switch (term.prefix) {
        case '?': optional.push_back(std::move(test)); break;
        case '-': required.push_back(Node(Kind::kNot, {std::move(test)}, SpanOf(term))); break;
        default: required.push_back(std::move(test)); break;
      }
    }
    WarnHyphenatedWords(pattern);
    const SourceSpan whole = SpanOf(pattern);
    if (!required.empty()) {
      if (!optional.empty()) {
        // R-T3: '?' terms next to plain or '-' terms are ignored by AWS.
        Report(ErrorCode::kSuspiciousPattern, optional.front().span,
               "'?' terms are ignored when the pattern also has plain or '-' terms; only an "
               "all-'?' pattern is an OR",
               Severity::kWarning);
      }
      if (required.size() == 1) return std::move(required.front());
      return Node(Kind::kAll, std::move(required), whole);
    }
    if (!optional.empty()) {
      if (optional.size() == 1) return std::move(optional.front());
      return Node(Kind::kAny, std::move(optional), whole);
    }
    return Node(Kind::kTrue, {}, whole);  // R-T5: the empty pattern matches every event
  }

  // R-T8: "a-b" unquoted is the term a and the exclusion -b. Warn once per
  // hyphenated word, since that is rarely what its author meant.
  void WarnHyphenatedWords(const ast::TermPattern& pattern) {
    const auto& terms = pattern.terms;
    for (size_t i = 0; i < terms.size();) {
      size_t j = i + 1;
      while (j < terms.size() && terms[j].prefix == '-' && terms[j].atom.kind == 'b' &&
             terms[j].begin == terms[j - 1].end)
        ++j;
      if (j - i > 1 && terms[i].atom.kind == 'b') {
        const std::string_view word = source_.substr(terms[i].begin, terms[j - 1].end - terms[i].begin);
        std::string meaning = "'" + terms[i].atom.text + "'";
        for (size_t k = i + 1; k < j; ++k) meaning += " and not '" + terms[k].atom.text + "'";
        Report(ErrorCode::kSuspiciousPattern, {terms[i].begin, terms[j - 1].end},
               fmt::format("an unquoted '-' starts an exclusion: {} means {}; quote it (\"{}\") "
                           "to search for the text",
                           word, meaning, word),
               Severity::kWarning);
      }
      i = j;
    }
  }

  void CheckBareTerm(const ast::Value& atom) {
    if (!options_.strict_terms) return;
    for (uint32_t i = 0; i < atom.text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(atom.text[i]);
      if (std::isalnum(c) || c == '_' || c >= 0x80) continue;
      const SourceSpan at{atom.begin + i, atom.begin + i + 1};
      if (c == '*') {
        Report(ErrorCode::kInvalidCharacter, at,
               fmt::format("invalid character '*' in term '{}': term patterns have no "
                           "wildcards (every term is already a substring match)",
                           atom.text));
      } else {
        Report(ErrorCode::kInvalidCharacter, at,
               fmt::format("invalid character '{}' in term '{}': unquoted terms may hold "
                           "only letters, digits and '_'; quote it (\"{}\")",
                           static_cast<char>(c), atom.text, atom.text));
      }
      return;
    }
  }

  // ---- values shared by JSON and space-delimited comparisons --------------
  // Lowers `operand op value` for = and != (R-J3..R-J5, R-D5) and the ordering
  // operators (R-J6, R-D6).
  Expr LowerComparison(uint16_t operand, const std::string& op, const ast::Value& value,
                       SourceSpan span) {
    const bool ordering = op != "=" && op != "!=";
    double number = 0;
    const bool numeric = value.kind == 'b' && util::ParseNumber(value.text, &number);
    if (ordering) {
      if (!numeric) {
        Report(ErrorCode::kTypeMismatch, SpanOf(value),
               fmt::format("'{}' needs an unquoted number on its right; AWS rejects ordering "
                           "comparisons with strings",
                           op));
        return Leaf(Kind::kFalse, operand, span);
      }
      Expr e = Leaf(Kind::kNumCmp, operand, span);
      e.cmp = op == "<" ? ir::CmpOp::kLt : op == "<=" ? ir::CmpOp::kLe
            : op == ">" ? ir::CmpOp::kGt : ir::CmpOp::kGe;
      e.number = number;
      e.text = value.text;
      return e;
    }
    Expr e;
    if (value.kind == 'r') {
      const int re = CompileRegex(value);
      e = Leaf(Kind::kRegex, operand, span);
      e.count = re < 0 ? 0 : static_cast<uint32_t>(re);
    } else if (numeric) {
      e = Leaf(Kind::kNumEq, operand, span);
      e.number = number;
    } else {
      if (value.kind == 'b' && value.text == "null") {
        Report(ErrorCode::kUnsupported, SpanOf(value),
               "'= null' is rejected by AWS: use 'IS NULL' to test for a null value");
      }
      e = Leaf(Kind::kStrMatch, operand, span);
    }
    e.text = value.text;
    e.negate = op == "!=";
    return e;
  }

  // ---- JSON patterns (R-J1..R-J12) ------------------------------------------
  Expr LowerJson(const ast::JsonPattern& pattern) {
    Expr body = LowerJsonOr(pattern.expr);
    // R-J1: a JSON pattern never matches an event that is not a JSON object.
    // Not `Node(kAll, {guard, body})`: an initializer list copies the whole
    // body (BM_Compile: 295k -> 289k instructions).
    std::vector<Expr> children(2);
    children[0] = Leaf(Kind::kIsJsonObject, 0, SpanOf(pattern));
    children[1] = std::move(body);
    return Node(Kind::kAll, std::move(children), SpanOf(pattern));
  }

  // A lone operand lowers to itself, without a vector of children: most ands
  // and ors have one, as every parenthesized condition is an or of one and of
  // one condition (BM_Compile: 273k -> 234k instructions).
  Expr LowerJsonOr(const ast::JsonOr& node) {
    if (node.operands.size() == 1) return LowerJsonAnd(node.operands.front());
    std::vector<Expr> children;
    children.reserve(node.operands.size());
    for (const ast::JsonAnd& a : node.operands) children.push_back(LowerJsonAnd(a));
    return Node(Kind::kAny, std::move(children), SpanOf(node));
  }

  Expr LowerJsonAnd(const ast::JsonAnd& node) {
    if (node.operands.size() == 1) return LowerJsonUnary(node.operands.front());
    std::vector<Expr> children;
    children.reserve(node.operands.size());
    for (const ast::JsonUnary& u : node.operands) children.push_back(LowerJsonUnary(u));
    return Node(Kind::kAll, std::move(children), SpanOf(node));
  }

  Expr LowerJsonUnary(const ast::JsonUnary& node) {
    if (const auto* group = boost::get<ast::x3::forward_ast<ast::JsonOr>>(&node))
      return LowerJsonOr(group->get());
    return LowerJsonCondition(boost::get<ast::JsonCondition>(node));
  }

  uint16_t LowerSelector(const ast::Selector& selector) {
    // Built in a member whose path keeps its capacity from call to call: most
    // selectors repeat an operand already interned, and Intern copies only a
    // new one (BM_Compile: 258k -> 251k instructions).
    ir::Operand& operand = selector_operand_;
    operand.kind = ir::OperandKind::kJsonPath;
    operand.path.clear();
    operand.index = 0;
    int wildcards = 0;
    for (const ast::SelectorStep& step : selector.steps) {
      ir::PathStep p;
      if (step.kind == '*') {
        p.kind = ir::PathStep::kWildcard;
        ++wildcards;
      } else if (step.kind == '[') {
        p.kind = ir::PathStep::kIndex;
        uint64_t index = 0;
        auto [ptr, ec] = std::from_chars(step.text.data(), step.text.data() + step.text.size(), index);
        if (ec != std::errc() || index > 0xFFFFFFFu) {
          Report(ErrorCode::kBadJsonPath, SpanOf(selector),
                 fmt::format("array index {} is too large", step.text));
        }
        p.index = static_cast<uint32_t>(index);
      } else {
        p.key = step.text;
      }
      operand.path.push_back(std::move(p));
    }
    if (wildcards > 1) {
      Report(ErrorCode::kBadJsonPath, SpanOf(selector),
             "a selector may hold at most one '*' wildcard");
    }
    if (wildcards > 0 && ++wildcard_paths_ == options_.max_wildcard_paths + 1) {
      Report(ErrorCode::kLimitExceeded, SpanOf(selector),
             fmt::format("a JSON pattern may hold at most {} selectors with a '*' wildcard",
                         options_.max_wildcard_paths));
    }
    if (!operand.path.empty() && operand.path.front().kind == ir::PathStep::kIndex) {
      Report(ErrorCode::kBadJsonPath, SpanOf(selector),
             "a selector starts with '$.' followed by a property name: events are JSON objects");
    }
    return out_.filter.Intern(operand);
  }

  Expr LowerJsonCondition(const ast::JsonCondition& cond) {
    const uint16_t operand = LowerSelector(cond.selector);
    const SourceSpan span = SpanOf(cond);
    const std::string& op = cond.tail.op;
    if (op == "NULL") return Leaf(Kind::kIsNull, operand, span);
    if (op == "TRUE") return Leaf(Kind::kIsTrue, operand, span);
    if (op == "FALSE") return Leaf(Kind::kIsFalse, operand, span);
    if (op == "EXISTS") {
      // R-J9: NOT EXISTS is true only when the path resolves to nothing.
      return Node(Kind::kNot, {Leaf(Kind::kExists, operand, span)}, span);
    }
    return LowerComparison(operand, op, cond.tail.value, span);
  }

  // ---- space-delimited patterns (R-D1..R-D8) ---------------------------------
  Expr LowerDelimited(const ast::DelimitedPattern& pattern) {
    std::vector<const ast::Field*> fields;
    for (const ast::Field& f : pattern.fields) fields.push_back(&f);
    // `[]` parses as one empty field: no fields at all.
    if (fields.size() == 1 && fields.front()->first.name.empty()) fields.clear();
    int ellipsis = -1;
    std::vector<std::string> names;
    for (size_t i = 0; i < fields.size(); ++i) {
      const ast::Field& f = *fields[i];
      const std::string& name = f.first.name;
      if (name.empty() && i + 1 != fields.size()) {
        Report(ErrorCode::kUnexpectedToken, SpanOf(f),
               "empty field: only the last field may be left empty (a trailing comma)");
      }
      if (name == "...") {
        if (ellipsis >= 0) {
          Report(ErrorCode::kDuplicateField, SpanOf(f), "duplicate field '...'");
        } else {
          ellipsis = static_cast<int>(i);
        }
        if (!f.first.tail.op.empty() || !f.rest.empty()) {
          Report(ErrorCode::kUnexpectedToken, SpanOf(f), "'...' cannot carry a condition");
        }
        continue;
      }
      if (!name.empty()) {
        if (std::find(names.begin(), names.end(), name) != names.end()) {
          Report(ErrorCode::kDuplicateField, SpanOf(f.first), fmt::format("duplicate field '{}'", name));
        }
        names.push_back(name);
      }
    }
    ir::Filter& filter = out_.filter;
    filter.has_ellipsis = ellipsis >= 0;
    const int n = static_cast<int>(fields.size());
    std::vector<Expr> tests;
    Expr count;
    if (ellipsis >= 0) {
      count = Leaf(Kind::kMinFields, 0, SpanOf(pattern));
      count.count = static_cast<uint32_t>(n - 1);
    } else {
      count = Leaf(options_.last_field == LastFieldMode::kAbsorbRest ? Kind::kMinFields
                                                                      : Kind::kExactFields,
                   0, SpanOf(pattern));
      count.count = static_cast<uint32_t>(n);
    }
    tests.push_back(std::move(count));
    for (int i = 0; i < n; ++i) {
      if (i == ellipsis) continue;
      const ast::Field& f = *fields[static_cast<size_t>(i)];
      ir::Operand operand;
      operand.kind = ir::OperandKind::kField;
      if (ellipsis >= 0 && i > ellipsis) {
        operand.index = i - n;  // addressed from the end (R-D4)
      } else {
        operand.index = i;
        if (ellipsis < 0 && i == n - 1 && options_.last_field == LastFieldMode::kAbsorbRest) {
          operand.kind = ir::OperandKind::kRest;  // R-D3
        }
      }
      const uint16_t slot = filter.Intern(operand);
      filter.fields.push_back({f.first.name, operand.index, operand.kind == ir::OperandKind::kRest});
      if (f.first.tail.op.empty()) {
        if (!f.rest.empty()) {
          Report(ErrorCode::kUnexpectedToken, SpanOf(f), "a condition is missing before '&&'/'||'");
        }
        continue;
      }
      // '&&' binds tighter than '||' inside a field (R-D7).
      std::vector<Expr> any;
      std::vector<Expr> all;
      all.push_back(LowerComparison(slot, f.first.tail.op, f.first.tail.value, SpanOf(f.first)));
      for (const ast::FieldLink& link : f.rest) {
        if (link.test.name != f.first.name) {
          Report(ErrorCode::kUnexpectedToken, SpanOf(link.test),
                 fmt::format("'{}' joins conditions on one field only: expected '{}' but found "
                             "'{}' (use ',' between fields)",
                             link.op, f.first.name, link.test.name));
        }
        if (link.test.tail.op.empty()) {
          Report(ErrorCode::kUnexpectedToken, SpanOf(link.test),
                 fmt::format("expected a comparison after '{}'", link.test.name));
          continue;
        }
        Expr e = LowerComparison(slot, link.test.tail.op, link.test.tail.value, SpanOf(link.test));
        if (link.op == "||") {
          any.push_back(all.size() == 1 ? std::move(all.front()) : Node(Kind::kAll, std::move(all), SpanOf(f)));
          all.clear();
        }
        all.push_back(std::move(e));
      }
      any.push_back(all.size() == 1 ? std::move(all.front()) : Node(Kind::kAll, std::move(all), SpanOf(f)));
      tests.push_back(any.size() == 1 ? std::move(any.front()) : Node(Kind::kAny, std::move(any), SpanOf(f)));
    }
    return Node(Kind::kAll, std::move(tests), SpanOf(pattern));
  }

  std::string_view source_;
  const CompileOptions& options_;
  Lowered out_;
  uint32_t regex_count_ = 0;
  uint32_t wildcard_paths_ = 0;
  ir::Operand selector_operand_;  // LowerSelector's scratch
};

}  // namespace

Lowered Lower(const parse::ParsedPattern& parsed, std::string_view source,
              const CompileOptions& options) {
  return Lowerer(source, options).Run(parsed);
}

}  // namespace cwlf::sema
