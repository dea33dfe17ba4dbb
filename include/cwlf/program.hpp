// Program: one filter pattern, parsed, checked, lowered to IR and compiled to a
// verified bytecode program. Immutable and thread-safe; copies share one image.
// Matching happens in a Matcher (matcher.hpp). Std-only.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "cwlf/diagnostic.hpp"
#include "cwlf/options.hpp"
#include "cwlf/result.hpp"

namespace cwlf {

namespace detail {
struct Image;
}  // namespace detail

// The family a pattern belongs to, told apart by its outer syntax.
enum class PatternKind : uint8_t {
  kTerms,      // unstructured terms, phrases and %regex% (also the empty pattern)
  kJson,       // { ... }
  kDelimited,  // [ ... ]
  kInsights,   // a Logs Insights filter expression (Dialect::kInsightsFilter)
};
std::string_view PatternKindName(PatternKind kind);  // "terms", "json", "delimited"

// The stages Explain() can print.
enum class Stage : uint8_t { kAst, kIr, kBytecode };

class Program {
 public:
  // Compiles `pattern`. On failure the Error lists the diagnostics (a syntax
  // error stops at the first; semantic checks report all). Warnings of a valid
  // pattern are in warnings(). Never throws. Cost: linear in the pattern size
  // plus RE2 compilation of its regular expressions.
  static Result<Program> Compile(std::string_view pattern, const CompileOptions& options = {});

  // Canonical text of one stage: the AST as an S-expression, the IR, or an
  // EXPLAIN-style bytecode listing with the source span of each instruction.
  std::string Explain(Stage stage = Stage::kBytecode) const;

  std::string_view pattern() const;
  PatternKind kind() const;
  std::span<const Diagnostic> warnings() const;
  const CompileOptions& options() const;

  // Internal: the compiled image. Not a stable interface.
  const detail::Image& image() const { return *image_; }
  explicit Program(std::shared_ptr<const detail::Image> image) : image_(std::move(image)) {}

 private:
  std::shared_ptr<const detail::Image> image_;
};

}  // namespace cwlf
