// A Pratt parser for Logs Insights queries. Precedence, lowest first (R-I1):
// or < and < not < comparisons (= != < <= > >= =~ like, not like, in,
// not in) < + - < * / % < unary - < ^ (right) < member/index. Keywords and
// command names are case-insensitive.
#include "insights/parser.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>

#include "insights/functions.hpp"
#include "insights/lexer.hpp"
#include "source/make_diagnostic.hpp"

namespace cwlf::insights {

bool Parsed::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

const char* CommandName(Command::Kind kind) {
  switch (kind) {
    case Command::Kind::kFields: return "fields";
    case Command::Kind::kFilter: return "filter";
    case Command::Kind::kParse: return "parse";
    case Command::Kind::kDisplay: return "display";
    case Command::Kind::kSort: return "sort";
    case Command::Kind::kLimit: return "limit";
    case Command::Kind::kDedup: return "dedup";
    case Command::Kind::kStats: return "stats";
  }
  return "?";
}

namespace {

bool Is(const Token& t, std::string_view word) {
  return t.kind == Token::Kind::kIdent && t.text.size() == word.size() &&
         strncasecmp(t.text.data(), word.data(), word.size()) == 0;
}
bool IsOp(const Token& t, std::string_view op) { return t.kind == Token::Kind::kOp && t.text == op; }

// Thrown inside the parser only, caught in Run(): the first syntax error.
struct SyntaxError {
  Diagnostic diagnostic;
};

constexpr std::string_view kUnsupportedCommands[] = {
    "unnest", "unmask", "pattern", "diff", "anomaly", "filterIndex", "SOURCE", "lookup", "join",
    "head", "tail", "search", "order"};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text) {}

  Parsed Run(bool expression_only) {
    Parsed out;
    try {
      Advance();  // may fail on the first token: inside the try
      if (expression_only) {
        Command c;
        c.kind = Command::Kind::kFilter;
        c.expr = ParseExpr(0);
        c.span = c.expr.span;
        ExpectEnd();
        out.ast.commands.push_back(std::move(c));
      } else {
        ParseQuery(out.ast);
      }
    } catch (const SyntaxError& e) {
      out.diagnostics.push_back(e.diagnostic);
      return out;
    }
    out.diagnostics = std::move(warnings_);
    return out;
  }

 private:
  [[noreturn]] void Fail(SourceSpan span, std::string message, ErrorCode code = ErrorCode::kUnexpectedToken) {
    throw SyntaxError{MakeError(code, span, std::move(message), text_)};
  }
  [[noreturn]] void Expected(std::string what) {
    if (tok_.kind == Token::Kind::kError) Fail(tok_.span, tok_.error, ErrorCode::kInvalidCharacter);
    const std::string found = tok_.kind == Token::Kind::kEnd ? "the end of the query" : "'" + tok_.raw + "'";
    Fail(tok_.kind == Token::Kind::kEnd ? SourceSpan{tok_.span.begin, tok_.span.begin} : tok_.span,
         fmt::format("expected {} but found {}", what, found));
  }
  void Warn(SourceSpan span, std::string message) {
    warnings_.push_back(MakeDiagnostic(ErrorCode::kSuspiciousPattern, Severity::kWarning, span, std::move(message), text_));
  }

  void Advance() {
    prev_end_ = tok_.span.end;
    tok_ = lexer_.Next();
    if (tok_.kind == Token::Kind::kError) Fail(tok_.span, tok_.error, ErrorCode::kInvalidCharacter);
  }
  void ExpectOp(std::string_view op, std::string what) {
    if (!IsOp(tok_, op)) Expected(std::move(what));
    Advance();
  }
  void ExpectEnd() {
    if (tok_.kind == Token::Kind::kPipe) return;
    if (tok_.kind != Token::Kind::kEnd) {
      if (IsOp(tok_, ")")) Fail(tok_.span, "unbalanced ')': no '(' is open here");
      Expected("'|' or the end of the query");
    }
  }

  // ---- commands ------------------------------------------------------------
  void ParseQuery(QueryAst& ast) {
    if (tok_.kind == Token::Kind::kPipe) Advance();  // a leading '|' is allowed
    if (tok_.kind == Token::Kind::kEnd) Fail({0, 0}, "the query is empty: expected a command such as 'fields' or 'filter'");
    while (true) {
      ast.commands.push_back(ParseCommand());
      CheckOrder(ast);
      if (tok_.kind == Token::Kind::kEnd) break;
      if (tok_.kind != Token::Kind::kPipe) ExpectEnd();
      Advance();
    }
  }

  void CheckOrder(const QueryAst& ast) {
    const size_t n = ast.commands.size();
    if (n >= 2 && ast.commands[n - 2].kind == Command::Kind::kDedup && ast.commands[n - 1].kind != Command::Kind::kLimit)
      Fail(ast.commands[n - 1].span, "only 'limit' may follow 'dedup'");
    int stats = 0;
    for (const Command& c : ast.commands) stats += c.kind == Command::Kind::kStats;
    if (stats > 2) Fail(ast.commands.back().span, "a query may hold at most two 'stats' commands");
  }

  Command ParseCommand() {
    Command c;
    const Token head = tok_;
    if (head.kind != Token::Kind::kIdent) Expected("a command (fields, filter, parse, display, sort, limit, dedup, stats)");
    for (std::string_view u : kUnsupportedCommands) {
      if (Is(head, u))
        Fail(head.span, fmt::format("the '{}' command is not supported by cwlf", head.text), ErrorCode::kUnsupported);
    }
    Advance();
    if (Is(head, "fields")) {
      c.kind = Command::Kind::kFields;
      c.items = ParseProjections(true);
    } else if (Is(head, "filter") || Is(head, "where")) {
      c.kind = Command::Kind::kFilter;
      c.expr = ParseExpr(0);
      LintFilter(c.expr);
    } else if (Is(head, "display")) {
      c.kind = Command::Kind::kDisplay;
      c.items = ParseProjections(true);
    } else if (Is(head, "sort")) {
      c.kind = Command::Kind::kSort;
      c.items = ParseProjections(false);
    } else if (Is(head, "dedup")) {
      c.kind = Command::Kind::kDedup;
      c.items = ParseProjections(false);
    } else if (Is(head, "limit")) {
      c.kind = Command::Kind::kLimit;
      if (tok_.kind != Token::Kind::kNumber || tok_.text.find_first_not_of("0123456789") != std::string::npos)
        Expected("a whole number of rows");
      c.limit = std::stoll(tok_.text.substr(0, 12));
      if (c.limit < 1 || c.limit > 100000) Fail(tok_.span, "limit must be between 1 and 100000");
      Advance();
    } else if (Is(head, "parse")) {
      c.kind = Command::Kind::kParse;
      ParseParse(c);
    } else if (Is(head, "stats")) {
      c.kind = Command::Kind::kStats;
      c.items = ParseProjections(true);
      for (const Projection& p : c.items) RequireAggregate(p.expr);
      if (Is(tok_, "by")) {
        Advance();
        c.by = ParseProjections(true);
      }
    } else {
      Fail(head.span, fmt::format("unknown command '{}': expected fields, filter, parse, display, sort, limit, dedup or stats",
                                  head.text));
    }
    c.span = {head.span.begin, prev_end_};
    ExpectEnd();
    return c;
  }

  void RequireAggregate(const Expr& e) {
    if (e.kind == Expr::Kind::kCall) {
      const FunctionInfo* f = FindFunction(e.text);
      if (f && f->aggregate) return;
    }
    Fail(e.span, "stats needs an aggregate function such as count(*), sum(x) or avg(x)");
  }

  std::vector<Projection> ParseProjections(bool allow_alias) {
    std::vector<Projection> out;
    while (true) {
      Projection p;
      const uint32_t begin = tok_.span.begin;
      p.expr = ParseExpr(0);
      p.source = std::string(text_.substr(begin, prev_end_ - begin));
      if (Is(tok_, "asc") || Is(tok_, "desc")) {
        p.descending = Is(tok_, "desc");
        Advance();
      } else if (allow_alias && Is(tok_, "as")) {
        Advance();
        if (tok_.kind != Token::Kind::kIdent) Expected("a name after 'as'");
        p.alias = tok_.text;
        Advance();
      }
      p.span = {begin, prev_end_};
      out.push_back(std::move(p));
      if (!IsOp(tok_, ",")) break;
      Advance();
    }
    return out;
  }

  void ParseParse(Command& c) {
    c.expr.kind = Expr::Kind::kField;
    c.expr.text = "@message";
    if (tok_.kind == Token::Kind::kIdent) {
      c.expr.text = tok_.text;
      c.expr.span = tok_.span;
      Advance();
    }
    RelexRegexIfSlash();
    if (tok_.kind == Token::Kind::kString) {
      c.pattern = tok_.text;
      const SourceSpan at = tok_.span;
      Advance();
      if (!Is(tok_, "as")) Expected("'as' and the names the '*' of the glob fill");
      Advance();
      while (true) {
        if (tok_.kind != Token::Kind::kIdent) Expected("a field name");
        c.aliases.push_back(tok_.text);
        Advance();
        if (!IsOp(tok_, ",")) break;
        Advance();
      }
      const size_t stars = std::count(c.pattern.begin(), c.pattern.end(), '*');
      if (stars != c.aliases.size())
        Fail(at, fmt::format("the glob has {} '*' but {} names follow 'as'", stars, c.aliases.size()));
    } else if (tok_.kind == Token::Kind::kRegex) {
      c.regex = true;
      c.pattern = tok_.text;
      Advance();
    } else {
      Expected("a \"glob with *\" or a /regex with (?<name>...)/");
    }
  }

  // ---- expressions -------------------------------------------------------------
  static int InfixPower(const Token& t, bool* right) {
    *right = false;
    if (Is(t, "or")) return 1;
    if (Is(t, "and")) return 2;
    if (Is(t, "like") || Is(t, "in") || Is(t, "not")) return 4;  // `not like`, `not in`
    if (t.kind != Token::Kind::kOp) return -1;
    const std::string& op = t.text;
    if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=" || op == "=~") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/" || op == "%") return 6;
    if (op == "^") {
      *right = true;
      return 8;
    }
    return -1;
  }

  // Parses operators that bind tighter than `min_power`.
  Expr ParseExpr(int min_power) {
    Expr left = ParsePrefix();
    while (true) {
      bool right = false;
      const int power = InfixPower(tok_, &right);
      if (power < 0 || power <= min_power) break;
      const Token op = tok_;
      Advance();
      std::string name = op.text;
      for (char& ch : name) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
      if (name == "not") {
        if (Is(tok_, "like")) name = "not like";
        else if (Is(tok_, "in")) name = "not in";
        else Expected("'like' or 'in' after 'not'");
        Advance();
      }
      if (power == 4 && IsComparison(left)) {
        Fail(op.span, fmt::format("'{}' cannot compare the result of another comparison; add parentheses or 'and'",
                                  op.raw));
      }
      Expr rhs = (name == "in" || name == "not in") ? ParseList() : ParseExpr(right ? power - 1 : power);
      Expr e;
      e.kind = Expr::Kind::kBinary;
      e.text = name;
      e.span = {left.span.begin, rhs.span.end};
      e.args.push_back(std::move(left));
      e.args.push_back(std::move(rhs));
      left = std::move(e);
    }
    return left;
  }

  static bool IsComparison(const Expr& e) {
    if (e.kind != Expr::Kind::kBinary) return false;
    static constexpr std::string_view kOps[] = {"=", "!=", "<", "<=", ">", ">=", "=~", "like", "not like", "in", "not in"};
    return std::find(std::begin(kOps), std::end(kOps), e.text) != std::end(kOps);
  }

  Expr ParseList() {
    Expr list;
    list.kind = Expr::Kind::kList;
    const uint32_t begin = tok_.span.begin;
    ExpectOp("[", "'[' to open the list of values");
    if (!IsOp(tok_, "]")) {
      while (true) {
        list.args.push_back(ParseExpr(4));
        if (!IsOp(tok_, ",")) break;
        Advance();
      }
    }
    ExpectOp("]", "',' or ']' to close the list");
    list.span = {begin, prev_end_};
    return list;
  }

  // A '/' where a value must stand opens a regex, whatever came before.
  void RelexRegexIfSlash() {
    if (IsOp(tok_, "/")) {
      tok_ = lexer_.RegexAt(tok_.span.begin);
      if (tok_.kind == Token::Kind::kError) Fail(tok_.span, tok_.error, ErrorCode::kUnterminatedRegex);
    }
  }

  Expr ParsePrefix() {
    RelexRegexIfSlash();
    const Token t = tok_;
    Expr e;
    e.span = t.span;
    if (Is(t, "not")) {
      Advance();
      e.kind = Expr::Kind::kUnary;
      e.text = "not";
      e.args.push_back(ParseExpr(3));
      e.span.end = e.args[0].span.end;
      return e;
    }
    if (IsOp(t, "-")) {
      Advance();
      e.kind = Expr::Kind::kUnary;
      e.text = "-";
      e.args.push_back(ParseExpr(7));
      e.span.end = e.args[0].span.end;
      return e;
    }
    if (IsOp(t, "(")) {
      Advance();
      e = ParseExpr(0);
      if (!IsOp(tok_, ")")) Expected("')' to close the '(' opened at column " + std::to_string(LocateOffset(text_, t.span.begin).column));
      Advance();
      return ParsePostfix(std::move(e));
    }
    if (IsOp(t, "[")) return ParseList();
    switch (t.kind) {
      case Token::Kind::kNumber:
        e.kind = Expr::Kind::kNumber;
        e.text = t.text;
        e.number = std::strtod(t.text.c_str(), nullptr);
        Advance();
        return e;
      case Token::Kind::kDuration:
        e.kind = Expr::Kind::kDuration;
        e.text = t.text;
        e.number = DurationMillis(t);
        Advance();
        return e;
      case Token::Kind::kString:
        e.kind = Expr::Kind::kString;
        e.text = t.text;
        Advance();
        return e;
      case Token::Kind::kRegex:
        e.kind = Expr::Kind::kRegex;
        e.text = t.text;
        Advance();
        return e;
      case Token::Kind::kIdent:
        break;
      default:
        Expected("a value, a field name or a function call");
    }
    Advance();
    if (IsOp(tok_, "(")) {
      const FunctionInfo* f = FindFunction(t.text);
      if (!f) Fail(t.span, fmt::format("unknown or unsupported function '{}'", t.text), ErrorCode::kUnsupported);
      e.kind = Expr::Kind::kCall;
      e.text = std::string(f->name);
      Advance();
      if (!IsOp(tok_, ")")) {
        while (true) {
          if (IsOp(tok_, "*") && f->name == "count") {
            Advance();  // count(*) counts every row
          } else {
            e.args.push_back(ParseExpr(0));
          }
          if (!IsOp(tok_, ",")) break;
          Advance();
        }
      }
      ExpectOp(")", fmt::format("',' or ')' to close the call of {}", f->name));
      e.span.end = prev_end_;
      const int n = static_cast<int>(e.args.size());
      if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
        Fail(e.span, f->max_args == f->min_args
                         ? fmt::format("{} takes {} argument{}", f->name, f->min_args, f->min_args == 1 ? "" : "s")
                         : fmt::format("{} takes {} to {} arguments", f->name, f->min_args,
                                       f->max_args < 0 ? std::string("any number of") : std::to_string(f->max_args)));
      }
      return ParsePostfix(std::move(e));
    }
    e.kind = Expr::Kind::kField;
    e.text = t.text;
    return ParsePostfix(std::move(e));
  }

  Expr ParsePostfix(Expr e) {
    while (true) {
      if (IsOp(tok_, "[")) {
        Advance();
        if (tok_.kind != Token::Kind::kNumber) Expected("an index");
        Expr idx;
        idx.kind = Expr::Kind::kIndex;
        idx.number = std::strtod(tok_.text.c_str(), nullptr);
        Advance();
        ExpectOp("]", "']'");
        idx.span = {e.span.begin, prev_end_};
        idx.args.push_back(std::move(e));
        e = std::move(idx);
      } else if (IsOp(tok_, ".")) {
        Advance();
        if (tok_.kind != Token::Kind::kIdent) Expected("a key after '.'");
        Expr m;
        m.kind = Expr::Kind::kMember;
        m.text = tok_.text;
        Advance();
        m.span = {e.span.begin, prev_end_};
        m.args.push_back(std::move(e));
        e = std::move(m);
      } else {
        return e;
      }
    }
  }

  double DurationMillis(const Token& t) {
    size_t i = 0;
    while (i < t.text.size() && (isdigit(static_cast<unsigned char>(t.text[i])) || t.text[i] == '.')) ++i;
    const double n = std::strtod(t.text.substr(0, i).c_str(), nullptr);
    std::string unit = t.text.substr(i);
    for (char& ch : unit) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    struct Unit { const char* name; double ms; };
    static constexpr Unit kUnits[] = {
        {"ms", 1}, {"s", 1e3}, {"sec", 1e3}, {"secs", 1e3}, {"second", 1e3}, {"seconds", 1e3},
        {"m", 6e4}, {"min", 6e4}, {"mins", 6e4}, {"minute", 6e4}, {"minutes", 6e4},
        {"h", 3.6e6}, {"hr", 3.6e6}, {"hrs", 3.6e6}, {"hour", 3.6e6}, {"hours", 3.6e6},
        {"d", 8.64e7}, {"day", 8.64e7}, {"days", 8.64e7}, {"w", 6.048e8}, {"week", 6.048e8}, {"weeks", 6.048e8}};
    for (const Unit& u : kUnits)
      if (unit == u.name) return n * u.ms;
    Fail(t.span, fmt::format("unknown time unit '{}' (use ms, s, m, h, d or w)", unit));
  }

  // ---- lints (R-I10..R-I12) ------------------------------------------------------
  void LintFilter(const Expr& e) {
    if (e.kind == Expr::Kind::kBinary || e.kind == Expr::Kind::kUnary) {
      for (const Expr& a : e.args) LintFilter(a);
    }
    if (e.kind != Expr::Kind::kBinary) return;
    const bool equality = e.text == "=" || e.text == "!=";
    if (equality && e.args[1].kind == Expr::Kind::kString && e.args[1].text.find('*') != std::string::npos) {
      const std::string& s = e.args[1].text;
      std::string core = s;
      core.erase(std::remove(core.begin(), core.end(), '*'), core.end());
      std::string suggestion;
      const bool lead = s.front() == '*', trail = s.back() == '*';
      if (lead && trail) suggestion = fmt::format("like \"{}\"", core);
      else if (lead) suggestion = fmt::format("like /{}$/", core);
      else if (trail) suggestion = fmt::format("like /^{}/", core);
      else suggestion = "like /.../ with a regular expression";
      Warn(e.args[1].span, fmt::format("'{}' is exact in Logs Insights: '*' here is a literal asterisk, not a "
                                       "wildcard; write `{} {}{}`",
                                       e.text, e.args[0].kind == Expr::Kind::kField ? e.args[0].text : "x",
                                       e.text == "!=" ? "not " : "", suggestion));
    }
    const bool comparison = equality || e.text == "in" || e.text == "not in";
    if (comparison && e.args[0].kind == Expr::Kind::kField) {
      std::vector<const Expr*> values;
      if (e.args[1].kind == Expr::Kind::kList) {
        for (const Expr& v : e.args[1].args) values.push_back(&v);
      } else {
        values.push_back(&e.args[1]);
      }
      for (const Expr* v : values) {
        if (v->kind == Expr::Kind::kField && v->text.find('.') != std::string::npos && v->text[0] != '@') {
          Warn(v->span, fmt::format("'{}' is read as a field name, not a string: it compares two fields; "
                                    "quote it (\"{}\") to compare with the text",
                                    v->text, v->text));
        }
      }
    }
  }

  std::string_view text_;
  Lexer lexer_;
  Token tok_;
  uint32_t prev_end_ = 0;
  std::vector<Diagnostic> warnings_;
};

}  // namespace

Parsed ParseQuery(std::string_view text) { return Parser(text).Run(false); }
Parsed ParseFilterExpression(std::string_view text) { return Parser(text).Run(true); }

}  // namespace cwlf::insights
