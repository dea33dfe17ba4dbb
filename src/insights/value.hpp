// Values of the Logs Insights interpreter: null, string, number, boolean,
// timestamp, or a JSON map/list (jsonParse). Comparison and ordering follow
// semantics.md R-I4..R-I6 and match the VM's VAL_* opcodes.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cwlf::insights {

struct Value {
  enum class Kind : uint8_t { kNull, kString, kNumber, kBool, kTime, kJson };
  Kind kind = Kind::kNull;
  std::string text;    // kString; kNumber as written when it came from JSON
  double number = 0;   // kNumber; kTime (epoch ms); kBool (1/0)
  std::shared_ptr<const nlohmann::json> json;

  static Value Null() { return {}; }
  static Value String(std::string s) { Value v; v.kind = Kind::kString; v.text = std::move(s); return v; }
  static Value Number(double n) { Value v; v.kind = Kind::kNumber; v.number = n; return v; }
  static Value Bool(bool b) { Value v; v.kind = Kind::kBool; v.number = b ? 1 : 0; return v; }
  static Value Time(double ms) { Value v; v.kind = Kind::kTime; v.number = ms; return v; }

  bool is_null() const { return kind == Kind::kNull; }
  // A string, number, boolean or time (maps and lists are null to functions, B.2).
  bool is_scalar() const { return kind != Kind::kNull && kind != Kind::kJson; }
  std::optional<double> AsNumber() const;
  // Text as results print it: numbers shortest, booleans 1/0, times
  // "YYYY-MM-DD HH:MM:SS.mmm" (UTC), maps and lists as JSON.
  std::string Text() const;
};

// Converts one JSON node (a field of the event) to a Value.
Value FromJson(const nlohmann::json& node);

bool ValuesEqual(const Value& a, const Value& b);          // R-I4
std::optional<int> CompareValues(const Value& a, const Value& b);  // R-I6; nullopt: unordered
int NaturalCompare(const Value& a, const Value& b);        // sort (B.6), nulls first
bool Truthy(const Value& v);

std::string FormatTimestamp(double epoch_ms);
// Parses ISO-8601 "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm]" to epoch ms.
std::optional<int64_t> ParseIsoTime(std::string_view text);

}  // namespace cwlf::insights
