// Canonical text of the IR (cwlf explain --stage ir) and operand interning.
#include <fmt/format.h>

#include "ir/ir.hpp"
#include "util/quote.hpp"

namespace cwlf::ir {

uint16_t Filter::Intern(const Operand& operand) {
  for (size_t i = 0; i < operands.size(); ++i)
    if (operands[i] == operand) return static_cast<uint16_t>(i);
  operands.push_back(operand);
  return static_cast<uint16_t>(operands.size() - 1);
}

std::string OperandText(const Operand& operand) {
  switch (operand.kind) {
    case OperandKind::kMessage:
      return "@message";
    case OperandKind::kField:
      return fmt::format("$field({})", operand.index);
    case OperandKind::kRest:
      return fmt::format("$rest({})", operand.index);
    case OperandKind::kJsonPath:
      break;
  }
  std::string out = "$";
  for (const PathStep& step : operand.path) {
    switch (step.kind) {
      case PathStep::kKey: {
        bool plain = !step.key.empty();
        for (char c : step.key)
          if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) plain = false;
        out += plain ? "." + step.key : ".['" + step.key + "']";
        break;
      }
      case PathStep::kIndex:
        out += fmt::format("[{}]", step.index);
        break;
      case PathStep::kWildcard:
        out += "[*]";
        break;
      case PathStep::kAuto:
        out += "." + step.key + "?";
        break;
    }
  }
  return out;
}

const char* CmpOpText(CmpOp op) {
  switch (op) {
    case CmpOp::kLt: return "<";
    case CmpOp::kLe: return "<=";
    case CmpOp::kGt: return ">";
    case CmpOp::kGe: return ">=";
  }
  return "?";
}

namespace {

using util::Quote;


void PrintExpr(const Filter& f, const Expr& e, int depth, std::string& out) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
  const std::string operand =
      e.operand < f.operands.size() ? OperandText(f.operands[e.operand]) : "?";
  const char* ne = e.negate ? "!" : "";
  switch (e.kind) {
    case Kind::kTrue: out += "(true)"; break;
    case Kind::kFalse: out += "(false)"; break;
    case Kind::kAll: out += "(all"; break;
    case Kind::kAny: out += "(any"; break;
    case Kind::kNot: out += "(not"; break;
    case Kind::kIsJsonObject: out += "(is-json-object)"; break;
    case Kind::kMinFields: out += fmt::format("(min-fields {})", e.count); break;
    case Kind::kExactFields: out += fmt::format("(exact-fields {})", e.count); break;
    case Kind::kContains: out += fmt::format("(contains {} {})", operand, Quote(e.text)); break;
    case Kind::kExists: out += fmt::format("(exists {})", operand); break;
    case Kind::kIsNull: out += fmt::format("(is-null {})", operand); break;
    case Kind::kIsTrue: out += fmt::format("(is-true {})", operand); break;
    case Kind::kIsFalse: out += fmt::format("(is-false {})", operand); break;
    case Kind::kStrMatch: out += fmt::format("({}glob {} {})", ne, operand, Quote(e.text)); break;
    case Kind::kNumEq: out += fmt::format("({}num-eq {} {})", ne, operand, e.text); break;
    case Kind::kRegex: out += fmt::format("({}regex {} %{}%)", ne, operand, e.text); break;
    case Kind::kNumCmp:
      out += fmt::format("(num {} {} {})", CmpOpText(e.cmp), operand, e.text);
      break;
    case Kind::kPresent: out += fmt::format("(present {})", operand); break;
    case Kind::kValueEq:
      out += fmt::format("({}value-eq {} {})", ne, operand, e.literal_is_number ? e.text : Quote(e.text));
      break;
    case Kind::kValueCmp:
      out += fmt::format("(value {} {} {})", CmpOpText(e.cmp), operand,
                         e.literal_is_number ? e.text : Quote(e.text));
      break;
  }
  if (e.kind == Kind::kAll || e.kind == Kind::kAny || e.kind == Kind::kNot) {
    for (const Expr& c : e.children) {
      out += '\n';
      PrintExpr(f, c, depth + 1, out);
    }
    out += ')';
  }
}

}  // namespace

std::string Print(const Filter& filter) {
  std::string out = fmt::format("; {} pattern\n", PatternKindName(filter.kind));
  PrintExpr(filter, filter.root, 0, out);
  out += '\n';
  return out;
}

}  // namespace cwlf::ir
