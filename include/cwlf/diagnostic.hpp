// Diagnostics: what went wrong in a pattern, where (byte span, 1-based line and
// column), and how bad. Render() is the one place carets are drawn. Std-only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cwlf {

enum class ErrorCode : uint8_t {
#define CWLF_ERROR(name, text) name,
#include "cwlf/errors.def"
#undef CWLF_ERROR
};

// The stable snake_case name of a code ("unexpected_token"), as in JSON output.
std::string_view ErrorCodeName(ErrorCode code);

enum class Severity : uint8_t { kError, kWarning, kNote };
std::string_view SeverityName(Severity severity);  // "error", "warning", "note"

// Byte offsets into the pattern text, [begin, end).
struct SourceSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

// 1-based line and column; the column counts Unicode code points.
struct SourceLocation {
  uint32_t line = 1;
  uint32_t column = 1;
};

struct Diagnostic {
  ErrorCode code = ErrorCode::kUnexpectedToken;
  Severity severity = Severity::kError;
  SourceSpan span;
  SourceLocation location;  // of span.begin
  std::string message;      // lower case, no trailing period
  std::string origin = "pattern";  // what the text is: "pattern", "pack.json#rule-id"

  // origin:line:col: severity: message, then the source line and a caret under
  // the span (tildes to its end). `source` must be the text the span refers to.
  std::string Render(std::string_view source) const;
};

// Computes the 1-based line/column of a byte offset (columns in code points).
SourceLocation LocateOffset(std::string_view source, uint32_t offset);

}  // namespace cwlf
