// Compile options: the dialect, every limit (with its documented default) and
// the switches for semantics AWS has not settled (grammar/semantics.md). Std-only.
#pragma once

#include <cstdint>

namespace cwlf {

enum class Dialect : uint8_t {
  kFilterPattern,   // metric/subscription filters, FilterLogEvents, Live Tail
  kInsightsFilter,  // reserved for the Logs Insights `filter` expressions
};

// How '*' inside a JSON or space-delimited value behaves (semantics.md R-G1).
enum class GlobMode : uint8_t {
  kFirstOccurrence,  // default: '*' anywhere, chunks found at first occurrence (AWS-observed)
  kEdgesOnly,        // documented 2020 reading: '*' only at the ends, a middle '*' is literal
};

// What the last field of a space-delimited pattern without '...' takes (R-D3).
enum class LastFieldMode : uint8_t {
  kAbsorbRest,  // default (AWS 2026): the raw rest of the message
  kExactCount,  // the event must have exactly as many fields as the pattern
};

struct CompileOptions {
  Dialect dialect = Dialect::kFilterPattern;
  uint32_t max_pattern_bytes = 1024;  // AWS's FilterPattern limit
  uint32_t max_nesting = 64;          // parentheses depth in JSON patterns
  uint32_t max_regexes = 2;           // AWS: 2 regular expressions per filter pattern
  uint32_t max_wildcard_paths = 3;    // AWS: 3 selectors with '*' per pattern
  uint32_t max_instructions = 1u << 15;
  int64_t regex_max_mem = 8 << 20;    // RE2 memory budget per regular expression
  GlobMode glob_mode = GlobMode::kFirstOccurrence;
  LastFieldMode last_field = LastFieldMode::kAbsorbRest;
  // Reject unquoted terms with characters other than letters, digits and '_'
  // (AWS: "Invalid character(s) in term"); false accepts them as substrings.
  bool strict_terms = true;
};

}  // namespace cwlf
