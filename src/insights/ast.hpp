// The Logs Insights query syntax tree: expressions and commands, with byte
// spans into the query text. Built by parser.cpp, printed by printer.cpp,
// lowered to IR (filters) by lower.cpp and run by query.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cwlf/diagnostic.hpp"

namespace cwlf::insights {

struct Expr {
  enum class Kind : uint8_t {
    kNumber,    // text: as written, number: value
    kString,    // text: value (escapes removed)
    kRegex,     // text: body between the slashes
    kDuration,  // text: "5m"; number: milliseconds
    kField,     // text: the field name ("userIdentity.type", "@message")
    kList,      // args: elements
    kCall,      // text: function name as written; args
    kUnary,     // text: "-" or "not"; args[0]
    kBinary,    // text: operator ("and", "=", "like", "not like", "in", "not in", "+", ...); args[0..1]
    kMember,    // args[0].text (a key) on args[0]: text is the key
    kIndex,     // args[0][number]
  };
  Kind kind = Kind::kNumber;
  std::string text;
  double number = 0;
  std::vector<Expr> args;
  SourceSpan span;
};

// `expr [as alias]`; `source` is the expression's text as written, which
// names the column when there is no alias (B.8).
struct Projection {
  Expr expr;
  std::string alias;
  std::string source;
  bool descending = false;  // sort only
  SourceSpan span;
  const std::string& name() const { return alias.empty() ? source : alias; }
};

struct Command {
  enum class Kind : uint8_t { kFields, kFilter, kParse, kDisplay, kSort, kLimit, kDedup, kStats };
  Kind kind = Kind::kFields;
  SourceSpan span;
  std::vector<Projection> items;  // fields, display, sort, dedup, stats aggregates
  std::vector<Projection> by;     // stats ... by
  Expr expr;                      // filter condition; parse source field
  std::string pattern;            // parse glob or regex body
  bool regex = false;             // parse with /regex/
  std::vector<std::string> aliases;  // parse ... as a, b
  int64_t limit = 0;
};

struct QueryAst {
  std::vector<Command> commands;
};

const char* CommandName(Command::Kind kind);

// S-expression text of the tree (explain --dialect insights --stage ast).
std::string Print(const QueryAst& query);
std::string PrintExpr(const Expr& e);

}  // namespace cwlf::insights
