// Prints the syntax tree: one node per line, "(kind span ...)". Values print
// as q"..." (quoted), %...% (regex) or bare words.
#include "ast/ast_printer.hpp"

#include <fmt/format.h>

namespace cwlf::ast {

namespace {

std::string SpanText(const Spanned& s) { return fmt::format("@{}-{}", s.begin, s.end); }

std::string ValueText(const Value& v) {
  switch (v.kind) {
    case 'q': {
      std::string out = "q\"";
      for (char c : v.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    case 'r': return "%" + v.text + "%";
    default: return v.text;
  }
}

std::string SelectorText(const Selector& s) {
  std::string out = "$";
  for (const SelectorStep& step : s.steps) {
    if (step.kind == '*') out += "[*]";
    else if (step.kind == '[') out += "[" + step.text + "]";
    else out += "." + step.text;
  }
  return out;
}

void Indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 2, ' '); }

void PrintOr(const JsonOr& node, int depth, std::string& out);

void PrintAnd(const JsonAnd& node, int depth, std::string& out) {
  Indent(out, depth);
  out += fmt::format("(and {}", SpanText(node));
  for (const JsonUnary& u : node.operands) {
    out += '\n';
    if (const auto* group = boost::get<x3::forward_ast<JsonOr>>(&u)) {
      PrintOr(group->get(), depth + 1, out);
    } else {
      const auto& c = boost::get<JsonCondition>(u);
      Indent(out, depth + 1);
      if (c.tail.op == "NULL" || c.tail.op == "TRUE" || c.tail.op == "FALSE")
        out += fmt::format("(is {} {} {})", SelectorText(c.selector), c.tail.op, SpanText(c));
      else if (c.tail.op == "EXISTS")
        out += fmt::format("(not-exists {} {})", SelectorText(c.selector), SpanText(c));
      else
        out += fmt::format("({} {} {} {})", c.tail.op, SelectorText(c.selector), ValueText(c.tail.value),
                           SpanText(c));
    }
  }
  out += ')';
}

void PrintOr(const JsonOr& node, int depth, std::string& out) {
  Indent(out, depth);
  out += fmt::format("(or {}", SpanText(node));
  for (const JsonAnd& a : node.operands) {
    out += '\n';
    PrintAnd(a, depth + 1, out);
  }
  out += ')';
}

std::string TestText(const FieldTest& t) {
  if (t.tail.op.empty()) return t.name;
  return fmt::format("({} {} {})", t.tail.op, t.name, ValueText(t.tail.value));
}

}  // namespace

std::string Print(const parse::ParsedPattern& parsed) {
  std::string out;
  switch (parsed.kind) {
    case PatternKind::kTerms:
      out += fmt::format("(terms {}", SpanText(parsed.terms));
      for (const Term& t : parsed.terms.terms) {
        out += "\n  (";
        out += t.prefix == '?' ? "optional " : t.prefix == '-' ? "exclude " : "term ";
        out += ValueText(t.atom) + " " + SpanText(t) + ")";
      }
      out += ")\n";
      break;
    case PatternKind::kJson:
      out += fmt::format("(json {}\n", SpanText(parsed.json));
      PrintOr(parsed.json.expr, 1, out);
      out += ")\n";
      break;
    case PatternKind::kInsights:
      break;  // printed by src/insights/printer.cpp
    case PatternKind::kDelimited:
      out += fmt::format("(fields {}", SpanText(parsed.delimited));
      for (const Field& f : parsed.delimited.fields) {
        out += fmt::format("\n  (field {} {}", SpanText(f), TestText(f.first));
        for (const FieldLink& l : f.rest) out += fmt::format(" {} {}", l.op, TestText(l.test));
        out += ')';
      }
      out += ")\n";
      break;
  }
  return out;
}

}  // namespace cwlf::ast
