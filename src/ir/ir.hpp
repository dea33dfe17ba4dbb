// The dialect-free predicate IR that every pattern lowers to: operands (the
// message, a JSON path, a space-delimited field) and predicates over them,
// joined by All/Any/Not. Codegen, the VM and the reference evaluator read it;
// no dialect syntax reaches here. Semantics of each predicate: semantics.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cwlf/diagnostic.hpp"
#include "cwlf/options.hpp"
#include "cwlf/program.hpp"

namespace re2 {
class RE2;
}  // namespace re2

namespace cwlf::ir {

struct PathStep {
  // kAuto is a Logs Insights name segment: an object key, or, when it is all
  // digits and the value is an array, an index (`items.0.instanceId`).
  enum Kind : uint8_t { kKey, kIndex, kWildcard, kAuto };
  Kind kind = kKey;
  std::string key;     // kKey, kAuto
  uint32_t index = 0;  // kIndex
  friend bool operator==(const PathStep&, const PathStep&) = default;
};

enum class OperandKind : uint8_t {
  kMessage,   // the whole event text
  kJsonPath,  // a selector into the event's JSON object
  kField,     // one space-delimited field: index >= 0 from the start, < 0 from the end
  kRest,      // the field at `index` and, when the event has more, the raw rest (R-D3)
};

struct Operand {
  OperandKind kind = OperandKind::kMessage;
  std::vector<PathStep> path;  // kJsonPath
  int32_t index = 0;           // kField / kRest
  friend bool operator==(const Operand&, const Operand&) = default;
};

// Printed as "$.a.b[0]", "$field(2)", "$field(-1)", "$rest(3)", "@message".
std::string OperandText(const Operand& operand);

enum class CmpOp : uint8_t { kLt, kLe, kGt, kGe };
const char* CmpOpText(CmpOp op);

enum class Kind : uint8_t {
  kTrue,
  kFalse,
  kAll,           // children, all true (empty: true)
  kAny,           // children, any true (empty: false)
  kNot,           // one child
  kIsJsonObject,  // the event is a JSON object
  kMinFields,     // the event has at least `count` space-delimited fields
  kExactFields,   // ... exactly `count`
  kContains,      // operand text contains `text` (message terms)
  kExists,        // the JSON path resolves to at least one value
  kIsNull,        // a value is null, or an array with a null element (R-J8)
  kIsTrue,        // a value is the boolean true
  kIsFalse,       // a value is the boolean false
  kStrMatch,      // a scalar value's text matches the glob `text`  (negate: R-J5)
  kNumEq,         // numeric literal equality (R-J3)                (negate: R-J5)
  kRegex,         // a scalar value's text contains a match of regex `text` (negate: R-J5)
  kNumCmp,        // a number value compares with `number` by `cmp`
  // Logs Insights comparisons (semantics.md R-I*): booleans are 1/0, a
  // numeric literal compares by value with anything numeric.
  kPresent,       // a value is a string, number or boolean (R-I3)
  kValueEq,       // value equals the literal (`literal_is_number` picks the rule) (negate: R-I5)
  kValueCmp,      // value orders against the literal by `cmp`
};

struct Expr {
  Kind kind = Kind::kTrue;
  uint16_t operand = 0;      // index into Filter::operands
  bool negate = false;       // '!=': true for a present scalar that does not match
  bool literal_is_number = false;  // kValueEq / kValueCmp: the literal was a number
  CmpOp cmp = CmpOp::kLt;    // kNumCmp
  uint32_t count = 0;        // kMinFields / kExactFields; kRegex: index into Filter::regexes
  std::string text;          // literal, glob or regex source; number text for kNumEq
  double number = 0;         // kNumEq / kNumCmp
  SourceSpan span;           // where in the pattern it came from
  std::vector<Expr> children;
};

// One field of a space-delimited pattern as TestMetricFilter reports it.
struct FieldName {
  std::string name;  // "" for an unnamed field (reported by position)
  int32_t index = 0; // as Operand::index
  bool rest = false; // the last field of a pattern without '...' (R-D3)
};

struct Filter {
  PatternKind kind = PatternKind::kTerms;
  Expr root;
  std::vector<Operand> operands;    // interned; an operand's index is its slot
  std::vector<FieldName> fields;    // space-delimited patterns: named fields
  bool has_ellipsis = false;
  // Compiled once at check time (RE2 objects are thread-safe and immutable).
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
  GlobMode glob_mode = GlobMode::kFirstOccurrence;

  uint16_t Intern(const Operand& operand);
};

// Canonical text of the IR, one node per line, indented.
std::string Print(const Filter& filter);

}  // namespace cwlf::ir
