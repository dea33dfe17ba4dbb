// Query::Compile and the row pipeline that runs a query: fields, filter
// (on the VM when the filter lowered to IR, else interpreted), parse,
// display, sort, limit, dedup, stats. Semantics: semantics.md R-I*.
#include "cwlf/query.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "api/build_program.hpp"
#include "cwlf/matcher.hpp"
#include "insights/ast.hpp"
#include "insights/lower.hpp"
#include "insights/parser.hpp"
#include "insights/value.hpp"
#include "source/make_diagnostic.hpp"
#include "vm/image.hpp"

namespace cwlf {

namespace detail {

struct FilterStage {
  std::optional<Program> program;  // the filter on the VM, when it lowered
  std::string why_not;
};

struct QueryImage {
  std::string text;
  insights::QueryAst ast;
  std::vector<Diagnostic> warnings;
  std::map<size_t, FilterStage> filters;                         // by command index
  std::map<const insights::Expr*, std::shared_ptr<const RE2>> regexes;  // like, =~ and regexReplace
  std::map<size_t, std::shared_ptr<const RE2>> parsers;           // parse commands, by index
  size_t select_end = 0;  // commands before the first stats/limit/dedup
  bool selects_need_rows = false;  // an interpreted filter comes before select_end
};

}  // namespace detail

namespace insights {
namespace {

// Makes an expression's spans count from `base` (a filter stage's start).
void ShiftSpans(ir::Expr& e, uint32_t base) {
  e.span.begin = e.span.begin > base ? e.span.begin - base : 0;
  e.span.end = e.span.end > base ? e.span.end - base : 0;
  for (ir::Expr& c : e.children) ShiftSpans(c, base);
}

using detail::QueryImage;

// ---- rows ------------------------------------------------------------------------
struct Row {
  const LogEvent* event = nullptr;  // null for rows made by stats
  size_t index = 0;
  bool parsed = false;
  std::shared_ptr<const nlohmann::json> doc;  // the event as JSON, when it is an object
  std::vector<std::pair<std::string, Value>> computed;
  std::optional<double> timestamp;  // computed on first use

  // @timestamp: the event's own, else its JSON eventTime (R-I2), else 0.
  double Timestamp() {
    if (!timestamp) {
      timestamp = event ? static_cast<double>(event->timestamp_ms) : 0.0;
      if (event && event->timestamp_ms == 0) {
        if (const nlohmann::json* doc = Doc()) {
          auto it = doc->find("eventTime");
          if (it != doc->end() && it->is_string())
            if (auto t = ParseIsoTime(it->get<std::string>())) timestamp = static_cast<double>(*t);
        }
      }
    }
    return *timestamp;
  }

  const nlohmann::json* Doc() {
    if (!parsed && event) {
      parsed = true;
      auto j = nlohmann::json::parse(event->message, nullptr, false);
      if (!j.is_discarded() && j.is_object()) doc = std::make_shared<const nlohmann::json>(std::move(j));
    }
    return doc.get();
  }
  void Set(const std::string& name, Value v) {
    for (auto& [n, value] : computed)
      if (n == name) {
        value = std::move(v);
        return;
      }
    computed.emplace_back(name, std::move(v));
  }
};

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Walks a JSON node by dot segments (array indexes as numbers; keys that
// contain dots are tried whole, R-I2).
const nlohmann::json* Navigate(const nlohmann::json* node, const std::vector<std::string>& parts, size_t i) {
  if (!node) return nullptr;
  if (i == parts.size()) return node;
  if (node->is_object()) {
    std::string key;
    for (size_t j = i; j < parts.size(); ++j) {
      key += (j > i ? "." : "") + parts[j];
      auto it = node->find(key);
      if (it != node->end())
        if (const nlohmann::json* r = Navigate(&*it, parts, j + 1)) return r;
    }
    return nullptr;
  }
  if (node->is_array() && AllDigits(parts[i])) {
    const size_t idx = std::stoul(parts[i]);
    if (idx < node->size()) return Navigate(&(*node)[idx], parts, i + 1);
  }
  return nullptr;
}

std::vector<std::string> Split(const std::string& name) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

Value Lookup(Row& row, const std::string& name) {
  for (auto it = row.computed.rbegin(); it != row.computed.rend(); ++it)
    if (it->first == name) return it->second;
  // A computed map reached through a longer name: json_message.users.
  for (auto it = row.computed.rbegin(); it != row.computed.rend(); ++it) {
    if (name.size() > it->first.size() && name.starts_with(it->first) && name[it->first.size()] == '.' &&
        it->second.kind == Value::Kind::kJson) {
      const nlohmann::json* node = Navigate(it->second.json.get(), Split(name.substr(it->first.size() + 1)), 0);
      return node ? FromJson(*node) : Value::Null();
    }
  }
  if (!row.event) return Value::Null();
  if (name == "@message") return Value::String(row.event->message);
  if (name == "@timestamp") return Value::Time(row.Timestamp());
  if (name == "@ingestionTime") return Value::Time(static_cast<double>(row.event->ingestion_time_ms));
  if (name == "@logStream") return row.event->log_stream.empty() ? Value::Null() : Value::String(row.event->log_stream);
  if (name == "@log") return row.event->log_group.empty() ? Value::Null() : Value::String(row.event->log_group);
  const nlohmann::json* doc = row.Doc();
  if (!doc) return Value::Null();
  if (name.starts_with("@entity.")) {
    auto it = doc->find("Entity");
    if (it == doc->end()) return Value::Null();
    const nlohmann::json* node = Navigate(&*it, Split(name.substr(8)), 0);
    return node ? FromJson(*node) : Value::Null();
  }
  const nlohmann::json* node = Navigate(doc, Split(name), 0);
  // Objects and arrays are not fields of their own in flattened events (R-I2).
  if (!node || node->is_object() || node->is_array()) return Value::Null();
  return FromJson(*node);
}

// ---- functions -----------------------------------------------------------------------
std::optional<uint32_t> ParseIpv4(const std::string& s) {
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

bool Ipv4InSubnet(const std::string& ip, const std::string& cidr) {
  const size_t slash = cidr.find('/');
  const auto addr = ParseIpv4(ip);
  const auto net = ParseIpv4(cidr.substr(0, slash));
  if (!addr || !net) return false;
  int bits = 32;
  if (slash != std::string::npos) bits = std::atoi(cidr.c_str() + slash + 1);
  if (bits < 0 || bits > 32) return false;
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (*addr & mask) == (*net & mask);
}

std::string TrimSet(std::string s, const std::string& set, bool left, bool right) {
  const std::string chars = set.empty() ? std::string(" \t\r\n") : set;
  if (left) s.erase(0, std::min(s.size(), s.find_first_not_of(chars)));
  if (right) {
    const size_t last = s.find_last_not_of(chars);
    s.erase(last == std::string::npos ? 0 : last + 1);
  }
  return s;
}

class Evaluator {
 public:
  explicit Evaluator(const QueryImage& image) : image_(image) {}

  Value Eval(const Expr& e, Row& row) {
    switch (e.kind) {
      case Expr::Kind::kNumber: {
        Value v = Value::Number(e.number);
        return v;
      }
      case Expr::Kind::kDuration: return Value::Number(e.number);
      case Expr::Kind::kString: return Value::String(e.text);
      case Expr::Kind::kRegex: return Value::String(e.text);
      case Expr::Kind::kField: return Lookup(row, e.text);
      case Expr::Kind::kList: return Value::Null();
      case Expr::Kind::kMember:
      case Expr::Kind::kIndex: {
        const Value base = Eval(e.args[0], row);
        if (base.kind != Value::Kind::kJson) return Value::Null();
        const nlohmann::json& j = *base.json;
        const nlohmann::json* node = nullptr;
        if (e.kind == Expr::Kind::kMember) {
          node = Navigate(&j, Split(e.text), 0);
          if (!node && j.is_object() && j.contains(e.text)) node = &j[e.text];
        } else if (j.is_array() && e.number >= 0 && e.number < j.size()) {
          node = &j[static_cast<size_t>(e.number)];
        }
        return node ? FromJson(*node) : Value::Null();
      }
      case Expr::Kind::kUnary:
        if (e.text == "not") return Value::Bool(!Truthy(Eval(e.args[0], row)));
        if (auto n = Eval(e.args[0], row).AsNumber()) return Value::Number(-*n);
        return Value::Null();
      case Expr::Kind::kBinary: return Binary(e, row);
      case Expr::Kind::kCall: return Call(e, row);
    }
    return Value::Null();
  }

 private:
  bool RegexMatch(const Expr& e, const std::string& text) {
    auto it = image_.regexes.find(&e);
    return it != image_.regexes.end() && RE2::PartialMatch(text, *it->second);
  }

  // like/=~ on a string or number (R-I7); booleans and absent values fail.
  std::optional<bool> Like(const Expr& e, Row& row) {
    const Value v = Eval(e.args[0], row);
    if (v.kind != Value::Kind::kString && v.kind != Value::Kind::kNumber && v.kind != Value::Kind::kTime)
      return std::nullopt;
    const std::string text = v.Text();
    const Expr& pattern = e.args[1];
    if (pattern.kind == Expr::Kind::kRegex) return RegexMatch(e, text);
    const Value p = Eval(pattern, row);
    if (p.is_null()) return std::nullopt;
    return text.find(p.Text()) != std::string::npos;
  }

  Value Binary(const Expr& e, Row& row) {
    const std::string& op = e.text;
    if (op == "and") return Value::Bool(Truthy(Eval(e.args[0], row)) && Truthy(Eval(e.args[1], row)));
    if (op == "or") return Value::Bool(Truthy(Eval(e.args[0], row)) || Truthy(Eval(e.args[1], row)));
    if (op == "like" || op == "=~" || op == "not like") {
      const auto r = Like(e, row);
      if (!r) return Value::Bool(false);  // R-I5: an absent value satisfies neither
      return Value::Bool(op == "not like" ? !*r : *r);
    }
    if (op == "in" || op == "not in") {
      const Value v = Eval(e.args[0], row);
      if (!v.is_scalar()) return Value::Bool(false);
      bool found = false;
      for (const Expr& item : e.args[1].args) found |= ValuesEqual(v, Eval(item, row));
      return Value::Bool(op == "in" ? found : !found);
    }
    const Value a = Eval(e.args[0], row), b = Eval(e.args[1], row);
    if (op == "=") return Value::Bool(ValuesEqual(a, b));
    if (op == "!=") return Value::Bool(a.is_scalar() && b.is_scalar() && !ValuesEqual(a, b));
    if (op == "<" || op == "<=" || op == ">" || op == ">=") {
      const auto c = CompareValues(a, b);
      if (!c) return Value::Bool(false);
      if (op == "<") return Value::Bool(*c < 0);
      if (op == "<=") return Value::Bool(*c <= 0);
      if (op == ">") return Value::Bool(*c > 0);
      return Value::Bool(*c >= 0);
    }
    const auto x = a.AsNumber(), y = b.AsNumber();
    if (!x || !y) return Value::Null();
    if (op == "+") return Value::Number(*x + *y);
    if (op == "-") return Value::Number(*x - *y);
    if (op == "*") return Value::Number(*x * *y);
    if (op == "/") return *y == 0 ? Value::Null() : Value::Number(*x / *y);
    if (op == "%") return *y == 0 ? Value::Null() : Value::Number(std::fmod(*x, *y));
    if (op == "^") return Value::Number(std::pow(*x, *y));
    return Value::Null();
  }

  Value Call(const Expr& e, Row& row) {
    const std::string& f = e.text;
    std::vector<Value> a;
    if (f != "if" && f != "coalesce") {
      for (const Expr& arg : e.args) a.push_back(Eval(arg, row));
    }
    auto text = [&a](size_t i) { return i < a.size() ? a[i].Text() : std::string(); };
    auto num = [&a](size_t i) { return i < a.size() ? a[i].AsNumber() : std::nullopt; };
    auto math = [&](double (*fn)(double)) { return num(0) ? Value::Number(fn(*num(0))) : Value::Null(); };
    if (f == "ispresent") return Value::Bool(a[0].is_scalar());
    if (f == "isempty") return Value::Bool(!a[0].is_scalar() || a[0].Text().empty());
    if (f == "isblank") return Value::Bool(!a[0].is_scalar() || TrimSet(a[0].Text(), "", true, true).empty());
    if (f == "coalesce") {
      for (const Expr& arg : e.args) {
        Value v = Eval(arg, row);
        if (!v.is_null()) return v;
      }
      return Value::Null();
    }
    if (f == "if") return Truthy(Eval(e.args[0], row)) ? Eval(e.args[1], row) : Eval(e.args[2], row);
    if (f == "isNumeric") return Value::Bool(num(0).has_value());
    if (f == "messageSize") return a[0].is_null() ? Value::Null() : Value::Number(static_cast<double>(text(0).size()));
    if (!a.empty() && a[0].is_null() && f != "concat") return Value::Null();
    if (f == "strcontains" || f == "startsWith" || f == "endsWith") {
      std::string s = text(0), t = text(1);
      if (a.size() > 2 && Truthy(a[2])) {
        for (char& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
        for (char& c : t) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
      }
      if (f == "strcontains") return Value::Number(s.find(t) != std::string::npos);
      if (f == "startsWith") return Value::Number(s.starts_with(t));
      return Value::Number(s.ends_with(t));
    }
    if (f == "strlen") {
      double n = 0;
      for (char c : text(0)) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      return Value::Number(n);
    }
    if (f == "tolower" || f == "toupper") {
      std::string s = text(0);
      for (char& c : s) c = static_cast<char>(f == "tolower" ? tolower(static_cast<unsigned char>(c)) : toupper(static_cast<unsigned char>(c)));
      return Value::String(s);
    }
    if (f == "trim") return Value::String(TrimSet(text(0), text(1), true, true));
    if (f == "ltrim") return Value::String(TrimSet(text(0), text(1), true, false));
    if (f == "rtrim") return Value::String(TrimSet(text(0), text(1), false, true));
    if (f == "substr") {
      const std::string s = text(0);
      const auto start = num(1);
      if (!start || *start < 0 || *start > s.size()) return Value::String("");
      const size_t len = num(2) ? static_cast<size_t>(std::max(0.0, *num(2))) : std::string::npos;
      return Value::String(s.substr(static_cast<size_t>(*start), len));
    }
    if (f == "replace") {
      std::string s = text(0);
      const std::string from = text(1), to = text(2);
      if (from.empty()) return Value::String(s);
      for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
      return Value::String(s);
    }
    if (f == "regexReplace") {
      std::string s = text(0);
      auto it = image_.regexes.find(&e);
      if (it != image_.regexes.end()) RE2::GlobalReplace(&s, *it->second, text(2));
      return Value::String(s);
    }
    if (f == "concat") {
      std::string s;
      for (const Value& v : a) s += v.Text();
      return Value::String(s);
    }
    if (f == "hexToAscii") {
      const std::string h = text(0);
      std::string s;
      for (size_t i = 0; i + 1 < h.size(); i += 2) s += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
      return Value::String(s);
    }
    if (f == "hexToDec") {
      std::string h = text(0);
      if (h.starts_with("0x") || h.starts_with("0X")) h = h.substr(2);
      if (h.empty() || h.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return Value::Null();
      return Value::Number(static_cast<double>(std::stoull(h, nullptr, 16)));
    }
    if (f == "decToHex") {
      if (!num(0)) return Value::Null();
      const int64_t n = static_cast<int64_t>(*num(0));
      return Value::String(n < 0 ? fmt::format("-0x{:x}", -n) : fmt::format("0x{:x}", n));
    }
    if (f == "abs") return math([](double x) { return std::fabs(x); });
    if (f == "ceil") return math([](double x) { return std::ceil(x); });
    if (f == "floor") return math([](double x) { return std::floor(x); });
    if (f == "sqrt") return math([](double x) { return std::sqrt(x); });
    if (f == "log") return math([](double x) { return std::log(x); });
    if (f == "round") {
      if (!num(0)) return Value::Null();
      const double scale = std::pow(10.0, num(1).value_or(0));
      return Value::Number(std::round(*num(0) * scale) / scale);
    }
    if (f == "greatest" || f == "least") {
      std::optional<double> best;
      for (size_t i = 0; i < a.size(); ++i)
        if (auto n = num(i)) best = !best ? *n : f == "greatest" ? std::max(*best, *n) : std::min(*best, *n);
      return best ? Value::Number(*best) : Value::Null();
    }
    if (f == "toNumber" || f == "toDouble") return num(0) ? Value::Number(*num(0)) : Value::Null();
    if (f == "toInt" || f == "toLong") return num(0) ? Value::Number(std::trunc(*num(0))) : Value::Null();
    if (f == "isValidIp" || f == "isValidIpV4" || f == "isValidIpV6") {
      unsigned char buf[16];
      const bool v4 = inet_pton(AF_INET, text(0).c_str(), buf) == 1;
      const bool v6 = inet_pton(AF_INET6, text(0).c_str(), buf) == 1;
      return Value::Bool(f == "isValidIp" ? v4 || v6 : f == "isValidIpV4" ? v4 : v6);
    }
    if (f == "isIpv4InSubnet" || f == "isIpInSubnet") return Value::Bool(Ipv4InSubnet(text(0), text(1)));
    if (f == "ipv4ToNumber") {
      auto ip = ParseIpv4(text(0));
      return ip ? Value::Number(*ip) : Value::Null();
    }
    if (f == "isPrivateIP") {
      const std::string ip = text(0);
      return Value::Bool(Ipv4InSubnet(ip, "10.0.0.0/8") || Ipv4InSubnet(ip, "172.16.0.0/12") ||
                         Ipv4InSubnet(ip, "192.168.0.0/16"));
    }
    if (f == "jsonParse") {
      auto j = nlohmann::json::parse(text(0), nullptr, false);
      if (j.is_discarded() || !(j.is_object() || j.is_array())) return Value::Null();
      return FromJson(j);
    }
    if (f == "bin") {
      const double period = num(0).value_or(0);
      if (period <= 0) return Value::Null();
      return Value::Time(std::floor(row.Timestamp() / period) * period);
    }
    if (f == "toMillis") return num(0) ? Value::Number(*num(0)) : Value::Null();
    if (f == "fromMillis") return num(0) ? Value::Time(*num(0)) : Value::Null();
    return Value::Null();
  }

  const QueryImage& image_;
};

// ---- commands --------------------------------------------------------------------------
std::string GlobToRegex(const std::string& glob) {
  std::string out;
  size_t stars = std::count(glob.begin(), glob.end(), '*'), seen = 0;
  for (size_t i = 0; i < glob.size(); ++i) {
    const char c = glob[i];
    if (c == '*') {
      // Captures are lazy, except a final '*' that ends the glob (R-I9).
      out += (++seen == stars && i + 1 == glob.size()) ? "(.*)" : "(.*?)";
    } else if (c == '\'' && ((i + 1 < glob.size() && glob[i + 1] == '*') || (i > 0 && glob[i - 1] == '*'))) {
      out += "'?";  // a single quote around '*' may be absent in the text (R-I9)
    } else {
      out += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return out;
}

struct Aggregate {
  std::string function;
  std::vector<Value> values;  // evaluated argument per row (count(*) keeps nulls out)
  std::vector<double> times;
  double rows = 0;
};

class Runner {
 public:
  explicit Runner(const QueryImage& image) : image_(image), eval_(image) {
    for (const auto& [index, stage] : image.filters)
      if (stage.program) matchers_.emplace(index, Matcher(*stage.program));
  }

  Row MakeRow(const LogEvent& event, size_t index) {
    Row row;
    row.event = &event;
    row.index = index;
    return row;
  }

  bool Filter(size_t index, const Command& c, Row& row) {
    auto m = matchers_.find(index);
    if (m != matchers_.end() && row.event) return m->second.Match(row.event->message).matched;
    return Truthy(eval_.Eval(c.expr, row));
  }

  void Parse(size_t index, const Command& c, Row& row) {
    auto it = image_.parsers.find(index);
    if (it == image_.parsers.end()) return;
    const RE2& re = *it->second;
    const Value source = Lookup(row, c.expr.text);
    if (!source.is_scalar()) return;
    const std::string text = source.Text();
    const int n = re.NumberOfCapturingGroups();
    std::vector<re2::StringPiece> groups(static_cast<size_t>(n) + 1);
    if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, groups.data(), n + 1)) return;  // R-I9: kept, no fields
    if (c.regex) {
      for (const auto& [name, group] : re.NamedCapturingGroups())
        row.Set(name, Value::String(std::string(groups[static_cast<size_t>(group)])));
    } else {
      for (size_t i = 0; i < c.aliases.size() && i + 1 < groups.size(); ++i)
        row.Set(c.aliases[i], Value::String(std::string(groups[i + 1])));
    }
  }

  // Runs commands [0, end) on one row; false when a filter drops it.
  bool RunRowStages(Row& row, size_t end) {
    const auto& commands = image_.ast.commands;
    for (size_t i = 0; i < end; ++i) {
      const Command& c = commands[i];
      switch (c.kind) {
        case Command::Kind::kFilter:
          if (!Filter(i, c, row)) return false;
          break;
        case Command::Kind::kFields:
        case Command::Kind::kDisplay:
          for (const Projection& p : c.items)
            if (p.expr.kind != Expr::Kind::kField || !p.alias.empty()) row.Set(p.name(), eval_.Eval(p.expr, row));
          break;
        case Command::Kind::kParse: Parse(i, c, row); break;
        default: break;
      }
    }
    return true;
  }

  QueryResult Run(std::span<const LogEvent> events) {
    QueryResult result;
    const auto& commands = image_.ast.commands;
    std::vector<Row> rows;
    std::vector<std::string> columns;
    size_t limit = 10000;  // B.6: the default number of rows
    for (size_t i = 0; i < events.size(); ++i) {
      result.records_scanned++;
      result.bytes_scanned += events[i].message.size();
      Row row = MakeRow(events[i], i);
      if (RunRowStages(row, image_.select_end)) rows.push_back(std::move(row));
    }
    result.records_matched = rows.size();
    auto add_column = [&columns](const std::string& name) {
      if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
    };
    for (size_t i = 0; i < image_.select_end; ++i) {
      const Command& c = commands[i];
      if (c.kind == Command::Kind::kFields) for (const Projection& p : c.items) add_column(p.name());
      if (c.kind == Command::Kind::kParse) {
        for (const std::string& a : c.aliases) add_column(a);
        if (auto it = image_.parsers.find(i); it != image_.parsers.end())
          for (const auto& [name, group] : it->second->NamedCapturingGroups()) add_column(name);
      }
      if (c.kind == Command::Kind::kDisplay) {
        columns.clear();
        for (const Projection& p : c.items) columns.push_back(p.name());
      }
      // Row-local commands commute with sort, so the sorts before the first
      // stats/limit/dedup can run after them, in their order.
      if (c.kind == Command::Kind::kSort) Sort(c, rows);
    }
    for (size_t i = image_.select_end; i < commands.size(); ++i) {
      const Command& c = commands[i];
      switch (c.kind) {
        case Command::Kind::kFilter: {
          std::vector<Row> kept;
          for (Row& r : rows)
            if (Filter(i, c, r)) kept.push_back(std::move(r));
          rows = std::move(kept);
          break;
        }
        case Command::Kind::kFields:
        case Command::Kind::kDisplay:
          for (Row& r : rows)
            for (const Projection& p : c.items)
              if (p.expr.kind != Expr::Kind::kField || !p.alias.empty()) r.Set(p.name(), eval_.Eval(p.expr, r));
          if (c.kind == Command::Kind::kDisplay) {
            columns.clear();
              }
          for (const Projection& p : c.items) add_column(p.name());
          break;
        case Command::Kind::kParse:
          for (Row& r : rows) Parse(i, c, r);
          for (const std::string& a : c.aliases) add_column(a);
          break;
        case Command::Kind::kSort: Sort(c, rows); break;
        case Command::Kind::kLimit: limit = static_cast<size_t>(c.limit); break;
        case Command::Kind::kDedup: Dedup(c, rows); break;
        case Command::Kind::kStats:
          rows = Stats(c, rows);
          columns.clear();
          for (const Projection& p : c.by) add_column(p.name());
          for (const Projection& p : c.items) add_column(p.name());
          break;
      }
    }
    if (columns.empty()) columns = {"@timestamp", "@message"};
    if (rows.size() > limit) rows.resize(limit);
    for (Row& r : rows) {
      ResultRow out;
      for (const std::string& name : columns) {
        const Value v = Lookup(r, name);
        if (!v.is_null()) out.emplace_back(name, v.Text());  // R-I8: absent fields are left out
      }
      out.emplace_back("@ptr", r.event ? fmt::format("cwlf:{}", r.index) : fmt::format("cwlf:stats:{}", &r - rows.data()));
      result.rows.push_back(std::move(out));
    }
    return result;
  }

  bool Selects(const LogEvent& event) {
    if (!image_.selects_need_rows) {
      // Every filter before the first stats/limit/dedup runs on the VM and
      // reads only event fields: nothing else can change the answer.
      for (auto& [index, matcher] : matchers_)
        if (index < image_.select_end && !matcher.Match(event.message).matched) return false;
      return true;
    }
    Row row = MakeRow(event, 0);
    return RunRowStages(row, image_.select_end);
  }

 private:
  void Sort(const Command& c, std::vector<Row>& rows) {
    std::vector<std::vector<Value>> keys(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
      for (const Projection& p : c.items) keys[i].push_back(eval_.Eval(p.expr, rows[i]));
    std::vector<size_t> order(rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      for (size_t k = 0; k < c.items.size(); ++k) {
        const int cmp = NaturalCompare(keys[x][k], keys[y][k]);
        if (cmp != 0) return c.items[k].descending ? cmp > 0 : cmp < 0;
      }
      return false;
    });
    std::vector<Row> sorted;
    for (size_t i : order) sorted.push_back(std::move(rows[i]));
    rows = std::move(sorted);
  }

  void Dedup(const Command& c, std::vector<Row>& rows) {
    std::set<std::vector<std::string>> seen;
    std::vector<Row> kept;
    for (Row& r : rows) {
      std::vector<std::string> key;
      bool has_null = false;
      for (const Projection& p : c.items) {
        const Value v = eval_.Eval(p.expr, r);
        has_null |= v.is_null();
        key.push_back(v.Text());
      }
      if (has_null || seen.insert(key).second) kept.push_back(std::move(r));  // nulls never duplicate
    }
    rows = std::move(kept);
  }

  std::vector<Row> Stats(const Command& c, std::vector<Row>& rows) {
    std::map<std::vector<std::string>, size_t> group_of;
    std::vector<std::vector<Value>> group_keys;
    std::vector<std::vector<Aggregate>> groups;
    for (Row& r : rows) {
      std::vector<Value> key_values;
      std::vector<std::string> key;
      for (const Projection& p : c.by) {
        key_values.push_back(eval_.Eval(p.expr, r));
        key.push_back(key_values.back().Text());
      }
      auto [it, inserted] = group_of.emplace(key, groups.size());
      if (inserted) {
        group_keys.push_back(key_values);
        groups.emplace_back(c.items.size());
        for (size_t k = 0; k < c.items.size(); ++k) groups.back()[k].function = c.items[k].expr.text;
      }
      for (size_t k = 0; k < c.items.size(); ++k) {
        Aggregate& agg = groups[it->second][k];
        agg.rows += 1;
        const Expr& call = c.items[k].expr;
        if (!call.args.empty()) {
          agg.values.push_back(eval_.Eval(call.args[0], r));
          agg.times.push_back(r.Timestamp());
        }
      }
    }
    std::vector<Row> out;
    for (size_t g = 0; g < groups.size(); ++g) {
      Row row;
      for (size_t k = 0; k < c.by.size(); ++k) row.Set(c.by[k].name(), group_keys[g][k]);
      for (size_t k = 0; k < c.items.size(); ++k) row.Set(c.items[k].name(), Finish(c.items[k].expr, groups[g][k]));
      out.push_back(std::move(row));
    }
    return out;
  }

  Value Finish(const Expr& call, const Aggregate& agg) {
    const std::string& f = agg.function;
    if (f == "count") {
      if (call.args.empty()) return Value::Number(agg.rows);
      double n = 0;
      for (const Value& v : agg.values) n += !v.is_null();
      return Value::Number(n);
    }
    if (f == "count_distinct") {
      std::set<std::string> distinct;
      for (const Value& v : agg.values)
        if (!v.is_null()) distinct.insert(v.Text());
      return Value::Number(static_cast<double>(distinct.size()));
    }
    if (f == "earliest" || f == "latest") {
      std::optional<size_t> best;
      for (size_t i = 0; i < agg.values.size(); ++i) {
        if (agg.values[i].is_null()) continue;
        if (!best || (f == "earliest" ? agg.times[i] < agg.times[*best] : agg.times[i] >= agg.times[*best])) best = i;
      }
      return best ? agg.values[*best] : Value::Null();
    }
    std::vector<double> xs;
    for (const Value& v : agg.values)
      if (auto n = v.AsNumber()) xs.push_back(*n);
    if (xs.empty()) return Value::Null();
    if (f == "sum" || f == "avg") {
      double s = 0;
      for (double x : xs) s += x;
      return Value::Number(f == "sum" ? s : s / static_cast<double>(xs.size()));
    }
    if (f == "min") return Value::Number(*std::min_element(xs.begin(), xs.end()));
    if (f == "max") return Value::Number(*std::max_element(xs.begin(), xs.end()));
    if (f == "stddev") {
      double mean = 0, var = 0;
      for (double x : xs) mean += x;
      mean /= static_cast<double>(xs.size());
      for (double x : xs) var += (x - mean) * (x - mean);
      return Value::Number(xs.size() > 1 ? std::sqrt(var / static_cast<double>(xs.size() - 1)) : 0);
    }
    if (f == "pct") {
      std::sort(xs.begin(), xs.end());
      const double p = call.args.size() > 1 ? call.args[1].number : 50;
      const size_t at = static_cast<size_t>(std::clamp(std::ceil(p / 100.0 * static_cast<double>(xs.size())) - 1, 0.0,
                                                       static_cast<double>(xs.size() - 1)));
      return Value::Number(xs[at]);
    }
    return Value::Null();
  }

  const QueryImage& image_;
  Evaluator eval_;
  std::map<size_t, Matcher> matchers_;
};

void CollectRegexes(const Expr& e, QueryImage& image, std::vector<Diagnostic>& errors) {
  for (const Expr& a : e.args) CollectRegexes(a, image, errors);
  const Expr* regex = nullptr;
  if (e.kind == Expr::Kind::kBinary && (e.text == "like" || e.text == "not like" || e.text == "=~") &&
      e.args[1].kind == Expr::Kind::kRegex)
    regex = &e.args[1];
  if (e.kind == Expr::Kind::kCall && e.text == "regexReplace" && e.args.size() > 1 &&
      (e.args[1].kind == Expr::Kind::kRegex || e.args[1].kind == Expr::Kind::kString))
    regex = &e.args[1];
  if (!regex) return;
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(ToRe2(regex->text), options);
  if (!re->ok()) {
    errors.push_back(MakeError(ErrorCode::kBadRegex, regex->span,
                               fmt::format("cannot compile this regular expression: {}", re->error()), image.text));
    return;
  }
  image.regexes[&e] = std::move(re);
}

}  // namespace
}  // namespace insights

Result<Query> Query::Compile(std::string_view text, const CompileOptions& options) {
  using namespace insights;
  auto image = std::make_shared<detail::QueryImage>();
  image->text = std::string(text);
  if (text.size() > 10000) {
    return std::unexpected(Error(MakeError(ErrorCode::kLimitExceeded, {10000, static_cast<uint32_t>(text.size())},
                                           "a query may be at most 10,000 characters long", image->text),
                                 image->text));
  }
  Parsed parsed = ParseQuery(image->text);
  if (!parsed.ok()) return std::unexpected(Error(std::move(parsed.diagnostics), image->text));
  image->ast = std::move(parsed.ast);
  image->warnings = std::move(parsed.diagnostics);
  std::vector<Diagnostic> errors;
  std::set<std::string> computed;
  auto& commands = image->ast.commands;
  image->select_end = commands.size();
  for (size_t i = 0; i < commands.size(); ++i) {
    const Command& c = commands[i];
    if ((c.kind == Command::Kind::kStats || c.kind == Command::Kind::kLimit || c.kind == Command::Kind::kDedup) &&
        image->select_end == commands.size())
      image->select_end = i;
    for (const Projection& p : c.items) CollectRegexes(p.expr, *image, errors);
    for (const Projection& p : c.by) CollectRegexes(p.expr, *image, errors);
    if (c.kind == Command::Kind::kFilter) {
      CollectRegexes(c.expr, *image, errors);
      detail::FilterStage stage;
      LowerOutcome lowered = LowerFilter(c.expr, image->text, computed);
      for (Diagnostic& d : lowered.errors) errors.push_back(std::move(d));
      if (lowered.filter && i < image->select_end) {
        // The stage's program holds only its own text: spans count from there
        // (Explain printed past the end of it before).
        ShiftSpans(lowered.filter->root, c.expr.span.begin);
        CompileOptions filter_options = options;
        filter_options.dialect = Dialect::kInsightsFilter;
        auto program = detail::BuildProgram(std::move(*lowered.filter),
                                            image->text.substr(c.expr.span.begin, c.expr.span.end - c.expr.span.begin),
                                            filter_options, PrintExpr(c.expr) + "\n", {});
        if (program) stage.program = std::move(*program);
      } else {
        stage.why_not = lowered.filter ? "runs after stats" : lowered.why_not;
      }
      if (!stage.program && i < image->select_end) image->selects_need_rows = true;
      image->filters.emplace(i, std::move(stage));
    }
    if (c.kind == Command::Kind::kParse) {
      RE2::Options re_options;
      re_options.set_log_errors(false);
      re_options.set_dot_nl(true);
      auto re = std::make_shared<const RE2>(c.regex ? ToRe2(c.pattern) : GlobToRegex(c.pattern), re_options);
      if (!re->ok()) {
        errors.push_back(MakeError(ErrorCode::kBadRegex, c.span, fmt::format("cannot compile the parse pattern: {}", re->error()),
                                   image->text));
      } else {
        if (c.regex && re->NamedCapturingGroups().empty())
          errors.push_back(MakeError(ErrorCode::kUnexpectedToken, c.span,
                                     "a parse regex needs named groups such as (?<name>...)", image->text));
        for (const auto& [name, group] : re->NamedCapturingGroups()) computed.insert(name);
        image->parsers[i] = std::move(re);
      }
      for (const std::string& a : c.aliases) computed.insert(a);
    }
    if (c.kind == Command::Kind::kFields || c.kind == Command::Kind::kDisplay || c.kind == Command::Kind::kStats) {
      for (const Projection& p : c.items)
        if (p.expr.kind != Expr::Kind::kField || !p.alias.empty()) computed.insert(p.name());
      for (const Projection& p : c.by) computed.insert(p.name());
    }
  }
  if (!errors.empty()) return std::unexpected(Error(std::move(errors), image->text));
  return Query(std::move(image));
}

std::string Query::Explain(Stage stage) const {
  if (stage == Stage::kAst) return insights::Print(image_->ast);
  std::string out;
  for (const auto& [index, f] : image_->filters) {
    out += fmt::format("; command {} (filter)\n", index + 1);
    if (f.program) out += f.program->Explain(stage);
    else out += fmt::format("(interpreted: {})\n", f.why_not);
  }
  if (out.empty()) out = "(no filter commands)\n";
  return out;
}

std::span<const Diagnostic> Query::warnings() const { return image_->warnings; }
std::string_view Query::text() const { return image_->text; }

QueryResult Query::Run(std::span<const LogEvent> events) const { return insights::Runner(*image_).Run(events); }

bool Query::Selects(const LogEvent& event) const { return insights::Runner(*image_).Selects(event); }

namespace detail {
class SelectorState {
 public:
  explicit SelectorState(const QueryImage& image) : runner(image) {}
  insights::Runner runner;
};
}  // namespace detail

QuerySelector::QuerySelector(Query query)
    : query_(std::move(query)), state_(std::make_unique<detail::SelectorState>(query_.image())) {}
QuerySelector::~QuerySelector() = default;
QuerySelector::QuerySelector(QuerySelector&&) noexcept = default;
QuerySelector& QuerySelector::operator=(QuerySelector&&) noexcept = default;
bool QuerySelector::Selects(const LogEvent& event) { return state_->runner.Selects(event); }

}  // namespace cwlf
