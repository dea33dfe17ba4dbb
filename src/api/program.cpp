// Program::Compile: the pipeline parse -> check/lower -> codegen -> verify,
// and the accessors. The only place the stages are wired together.
#include "cwlf/program.hpp"

#include "ast/ast_printer.hpp"
#include "codegen/codegen.hpp"
#include "parse/parse.hpp"
#include "sema/lower.hpp"
#include "source/make_diagnostic.hpp"
#include "vm/disasm.hpp"
#include "vm/image.hpp"
#include "vm/verify.hpp"

namespace cwlf {

std::string_view PatternKindName(PatternKind kind) {
  switch (kind) {
    case PatternKind::kTerms: return "terms";
    case PatternKind::kJson: return "json";
    case PatternKind::kDelimited: return "delimited";
  }
  return "terms";
}

Result<Program> Program::Compile(std::string_view pattern, const CompileOptions& options) {
  std::string source(pattern);
  if (options.dialect != Dialect::kFilterPattern) {
    return std::unexpected(Error(MakeError(ErrorCode::kUnsupported, {0, 0},
                                           "only the filter-pattern dialect is supported here",
                                           source),
                                 source));
  }
  auto parsed = parse::Parse(source, options);
  if (!parsed) return std::unexpected(Error(std::move(parsed).error(), source));

  sema::Lowered lowered = sema::Lower(*parsed, source, options);
  if (!lowered.ok()) {
    std::vector<Diagnostic> errors;
    for (Diagnostic& d : lowered.diagnostics)
      if (d.severity == Severity::kError) errors.push_back(std::move(d));
    return std::unexpected(Error(std::move(errors), source));
  }

  auto image = std::make_shared<detail::Image>();
  image->pattern = source;
  image->options = options;
  image->kind = parsed->kind;
  image->slots = lowered.filter.operands;
  image->fields = lowered.filter.fields;
  image->has_ellipsis = lowered.filter.has_ellipsis;
  image->needs_json = parsed->kind == PatternKind::kJson;
  image->needs_fields = parsed->kind == PatternKind::kDelimited;
  image->trie = vm::PathTrie::Build(image->slots);
  image->ast_text = ast::Print(*parsed);
  image->ir_text = ir::Print(lowered.filter);
  image->warnings = std::move(lowered.diagnostics);
  image->filter = lowered.filter;

  if (auto generated = codegen::Generate(lowered.filter, *image); !generated) {
    return std::unexpected(Error(
        MakeError(ErrorCode::kLimitExceeded, {0, static_cast<uint32_t>(source.size())},
                  generated.error(), source),
        source));
  }
  if (std::string problem = vm::Verify(*image); !problem.empty()) {
    // A verifier failure is a compiler bug; report it rather than run the program.
    return std::unexpected(Error(
        MakeError(ErrorCode::kUnsupported, {0, static_cast<uint32_t>(source.size())},
                  "internal error: the compiled program failed verification: " + problem, source),
        source));
  }
  return Program(std::move(image));
}

std::string Program::Explain(Stage stage) const {
  switch (stage) {
    case Stage::kAst: return image_->ast_text;
    case Stage::kIr: return image_->ir_text;
    case Stage::kBytecode: return vm::Disassemble(*image_);
  }
  return {};
}

std::string_view Program::pattern() const { return image_->pattern; }
PatternKind Program::kind() const { return image_->kind; }
std::span<const Diagnostic> Program::warnings() const { return image_->warnings; }
const CompileOptions& Program::options() const { return image_->options; }

}  // namespace cwlf
