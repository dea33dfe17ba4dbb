// Canonical S-expression text of an Insights query (explain --stage ast).
#include <fmt/format.h>

#include "insights/ast.hpp"

namespace cwlf::insights {

std::string PrintExpr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kNumber: return e.text;
    case Expr::Kind::kDuration: return e.text;
    case Expr::Kind::kString: {
      std::string out = "\"";
      for (char c : e.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    case Expr::Kind::kRegex: return "/" + e.text + "/";
    case Expr::Kind::kField: return e.text;
    case Expr::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? " " : "") + PrintExpr(e.args[i]);
      return out + "]";
    }
    case Expr::Kind::kCall: {
      std::string out = "(" + e.text;
      for (const Expr& a : e.args) out += " " + PrintExpr(a);
      return out + ")";
    }
    case Expr::Kind::kUnary: return fmt::format("({} {})", e.text, PrintExpr(e.args[0]));
    case Expr::Kind::kBinary: return fmt::format("({} {} {})", e.text, PrintExpr(e.args[0]), PrintExpr(e.args[1]));
    case Expr::Kind::kMember: return fmt::format("(. {} {})", PrintExpr(e.args[0]), e.text);
    case Expr::Kind::kIndex: return fmt::format("([] {} {})", PrintExpr(e.args[0]), e.number);
  }
  return "?";
}

namespace {
std::string Projections(const std::vector<Projection>& items) {
  std::string out;
  for (const Projection& p : items) {
    out += " " + PrintExpr(p.expr);
    if (!p.alias.empty()) out += " as " + p.alias;
    if (p.descending) out += " desc";
  }
  return out;
}
}  // namespace

std::string Print(const QueryAst& query) {
  std::string out;
  for (const Command& c : query.commands) {
    out += fmt::format("({}", CommandName(c.kind));
    switch (c.kind) {
      case Command::Kind::kFilter: out += " " + PrintExpr(c.expr); break;
      case Command::Kind::kLimit: out += fmt::format(" {}", c.limit); break;
      case Command::Kind::kParse:
        out += " " + c.expr.text + (c.regex ? " /" + c.pattern + "/" : " \"" + c.pattern + "\"");
        for (const std::string& a : c.aliases) out += " " + a;
        break;
      case Command::Kind::kStats:
        out += Projections(c.items);
        if (!c.by.empty()) out += " by" + Projections(c.by);
        break;
      default: out += Projections(c.items); break;
    }
    out += ")\n";
  }
  return out;
}

}  // namespace cwlf::insights
