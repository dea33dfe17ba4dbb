// Internal helper: builds a Diagnostic with its line/column filled in.
#pragma once

#include <string>
#include <string_view>

#include "cwlf/diagnostic.hpp"

namespace cwlf {

Diagnostic MakeDiagnostic(ErrorCode code, Severity severity, SourceSpan span, std::string message,
                          std::string_view source);

inline Diagnostic MakeError(ErrorCode code, SourceSpan span, std::string message,
                            std::string_view source) {
  return MakeDiagnostic(code, Severity::kError, span, std::move(message), source);
}

}  // namespace cwlf
