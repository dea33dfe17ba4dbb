// Result<T> = std::expected<T, Error>; Error is a non-empty list of diagnostics.
// Nothing in the public API throws except OrThrow(). Std-only.
#pragma once

#include <expected>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cwlf/diagnostic.hpp"

namespace cwlf {

class Error {
 public:
  explicit Error(std::vector<Diagnostic> diagnostics, std::string source = {})
      : diagnostics_(std::move(diagnostics)), source_(std::move(source)) {}
  explicit Error(Diagnostic diagnostic, std::string source = {})
      : Error(std::vector<Diagnostic>{std::move(diagnostic)}, std::move(source)) {}

  // The first error; an Error always holds at least one diagnostic.
  const Diagnostic& primary() const { return diagnostics_.front(); }
  std::span<const Diagnostic> all() const { return diagnostics_; }
  // The text the spans refer to (the pattern), for rendering.
  const std::string& source() const { return source_; }
  // Every diagnostic rendered with carets, one after the other.
  std::string Render() const;

 private:
  std::vector<Diagnostic> diagnostics_;
  std::string source_;
};

template <typename T>
using Result = std::expected<T, Error>;

// Thrown only by OrThrow(); what() is the rendered diagnostic.
class PatternError : public std::runtime_error {
 public:
  explicit PatternError(Error error)
      : std::runtime_error(error.Render()), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

template <typename T>
T OrThrow(Result<T> result) {
  if (!result) throw PatternError(std::move(result).error());
  return std::move(*result);
}

}  // namespace cwlf
