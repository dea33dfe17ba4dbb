// Diagnostic rendering (the one caret renderer), line/column computation and
// the names of error codes. Nothing else draws carets.
#include <fmt/format.h>

#include "cwlf/diagnostic.hpp"
#include "cwlf/result.hpp"
#include "source/make_diagnostic.hpp"

namespace cwlf {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
#define CWLF_ERROR(name, text) \
  case ErrorCode::name:        \
    return text;
#include "cwlf/errors.def"
#undef CWLF_ERROR
  }
  return "unknown";
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

namespace {
bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

SourceLocation LocateOffset(std::string_view source, uint32_t offset) {
  SourceLocation loc;
  const size_t end = std::min<size_t>(offset, source.size());
  for (size_t i = 0; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++loc.line;
      loc.column = 1;
    } else if (!IsContinuationByte(c)) {
      ++loc.column;
    }
  }
  return loc;
}

std::string Diagnostic::Render(std::string_view source) const {
  std::string out = fmt::format("{}:{}:{}: {}: {}\n", origin, location.line, location.column,
                                SeverityName(severity), message);
  // The line holding span.begin, with tabs shown as one space each so the
  // caret column counts the same code points as `location.column`.
  const size_t begin = std::min<size_t>(span.begin, source.size());
  const size_t newline = begin == 0 ? std::string_view::npos : source.rfind('\n', begin - 1);
  const size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  size_t line_end = source.find('\n', begin);
  if (line_end == std::string_view::npos) line_end = source.size();
  std::string line;
  size_t caret_col = 0, span_cols = 0;
  for (size_t i = line_start; i < line_end; ++i) {
    const unsigned char c = static_cast<unsigned char>(source[i]);
    line += (c == '\t') ? ' ' : static_cast<char>(c);
    if (IsContinuationByte(c)) continue;
    if (i < begin) ++caret_col;
    else if (i < std::max<size_t>(span.end, begin + 1)) ++span_cols;
  }
  out += "  " + line + "\n";
  out += "  " + std::string(caret_col, ' ') + "^";
  if (span_cols > 1) out += std::string(span_cols - 1, '~');
  out += "\n";
  return out;
}

std::string Error::Render() const {
  std::string out;
  for (const Diagnostic& d : diagnostics_) out += d.Render(source_);
  return out;
}

Diagnostic MakeDiagnostic(ErrorCode code, Severity severity, SourceSpan span, std::string message,
                          std::string_view source) {
  Diagnostic d;
  d.code = code;
  d.severity = severity;
  d.span = span;
  d.location = LocateOffset(source, span.begin);
  d.message = std::move(message);
  return d;
}

}  // namespace cwlf
