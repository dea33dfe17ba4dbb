// Value conversions, comparisons and the natural sort order of B.6.
#include "insights/value.hpp"

#include <fmt/format.h>

#include <cmath>

#include "util/number.hpp"

namespace cwlf::insights {

std::optional<double> Value::AsNumber() const {
  switch (kind) {
    case Kind::kNumber:
    case Kind::kBool:
    case Kind::kTime:
      return number;
    case Kind::kString: {
      double n = 0;
      if (util::ParseNumber(text, &n)) return n;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

namespace {
std::string FormatNumber(double n) {
  if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 1e15) return fmt::format("{}", static_cast<int64_t>(n));
  return fmt::format("{}", n);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
}  // namespace

std::string FormatTimestamp(double epoch_ms) {
  const int64_t ms = static_cast<int64_t>(std::floor(epoch_ms));
  int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  int64_t rem = ms - days * 86400000;
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}", y, m, d, rem / 3600000, rem / 60000 % 60,
                     rem / 1000 % 60, rem % 1000);
}

std::optional<int64_t> ParseIsoTime(std::string_view t) {
  auto num = [&t](size_t at, size_t n, int64_t* out) {
    if (at + n > t.size()) return false;
    int64_t v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    *out = v;
    return true;
  };
  int64_t y, mo, d, h, mi, s;
  if (!num(0, 4, &y) || t.size() < 19 || t[4] != '-' || !num(5, 2, &mo) || t[7] != '-' || !num(8, 2, &d) ||
      (t[10] != 'T' && t[10] != ' ') || !num(11, 2, &h) || t[13] != ':' || !num(14, 2, &mi) || t[16] != ':' ||
      !num(17, 2, &s))
    return std::nullopt;
  size_t i = 19;
  int64_t ms = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    int64_t scale = 100;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      ms += (t[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  int64_t offset_min = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int64_t oh = 0, om = 0;
    if (!num(i + 1, 2, &oh)) return std::nullopt;
    num(i + 4, 2, &om);
    offset_min = (t[i] == '-' ? -1 : 1) * (oh * 60 + om);
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400 + h * 3600 + mi * 60 + s) - offset_min * 60) * 1000 + ms;
}

std::string Value::Text() const {
  switch (kind) {
    case Kind::kNull: return "";
    case Kind::kString: return text;
    case Kind::kNumber: return text.empty() ? FormatNumber(number) : text;
    case Kind::kBool: return number != 0 ? "1" : "0";
    case Kind::kTime: return FormatTimestamp(number);
    case Kind::kJson: return json ? json->dump() : "";
  }
  return "";
}

Value FromJson(const nlohmann::json& node) {
  if (node.is_string()) return Value::String(node.get<std::string>());
  if (node.is_boolean()) return Value::Bool(node.get<bool>());
  if (node.is_number()) {
    Value v = Value::Number(node.get<double>());
    if (node.is_number_integer() || node.is_number_unsigned()) v.text = node.dump();
    return v;
  }
  if (node.is_null()) return Value::Null();
  Value v;
  v.kind = Value::Kind::kJson;
  v.json = std::make_shared<const nlohmann::json>(node);
  return v;
}

bool ValuesEqual(const Value& a, const Value& b) {
  if (!a.is_scalar() || !b.is_scalar()) return false;
  const auto x = a.AsNumber(), y = b.AsNumber();
  if (x && y) return *x == *y;
  return a.Text() == b.Text();
}

std::optional<int> CompareValues(const Value& a, const Value& b) {
  if (!a.is_scalar() || !b.is_scalar()) return std::nullopt;
  const auto x = a.AsNumber(), y = b.AsNumber();
  if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  if (a.kind == Value::Kind::kString && b.kind == Value::Kind::kString) {
    const int c = a.text.compare(b.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return std::nullopt;
}

bool Truthy(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kBool:
    case Value::Kind::kNumber:
      return v.number != 0;
    case Value::Kind::kString: return !v.text.empty();
    case Value::Kind::kTime: return true;
    default: return false;
  }
}

namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// B.6: non-numeric before numeric; numbers by value (then text); other text
// by runs: digit runs by length then value, other runs by code unit.
int CompareText(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = IsDigit(a[i]), db = IsDigit(b[j]);
    size_t ie = i, je = j;
    while (ie < a.size() && IsDigit(a[ie]) == da) ++ie;
    while (je < b.size() && IsDigit(b[je]) == db) ++je;
    const std::string_view ra(a.data() + i, ie - i), rb(b.data() + j, je - j);
    if (da && db) {
      if (ra.size() != rb.size()) return ra.size() < rb.size() ? -1 : 1;
      if (const int c = ra.compare(rb)) return c < 0 ? -1 : 1;
    } else if (const int c = ra.compare(rb)) {
      // Compare the runs as text up to the shorter one; a run that is a
      // prefix of the other sorts first.
      return c < 0 ? -1 : 1;
    }
    i = ie;
    j = je;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}
}  // namespace

int NaturalCompare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : a.is_null() ? -1 : 1;
  const bool na = a.kind != Value::Kind::kString || a.AsNumber().has_value();
  const bool nb = b.kind != Value::Kind::kString || b.AsNumber().has_value();
  if (na != nb) return na ? 1 : -1;
  if (na) {
    const double x = a.AsNumber().value_or(0), y = b.AsNumber().value_or(0);
    if (x != y) return x < y ? -1 : 1;
    const int c = a.Text().compare(b.Text());  // equal values: "01" before "1"
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return CompareText(a.Text(), b.Text());
}

}  // namespace cwlf::insights
