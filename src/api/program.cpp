// Program::Compile: the pipeline parse -> check/lower -> codegen -> verify,
// and the accessors. The only place the stages are wired together.
#include "cwlf/program.hpp"

#include "api/build_program.hpp"
#include "ast/ast_printer.hpp"
#include "insights/lower.hpp"
#include "insights/parser.hpp"
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
    case PatternKind::kInsights: return "insights";
  }
  return "terms";
}

namespace detail {

Result<Program> BuildProgram(ir::Filter filter, std::string source, const CompileOptions& options,
                             std::optional<std::string> ast_text, std::vector<Diagnostic> warnings) {
  auto image = std::make_shared<Image>();
  image->pattern = std::move(source);
  image->options = options;
  image->kind = filter.kind;
  image->slots = filter.operands;
  image->fields = filter.fields;
  image->has_ellipsis = filter.has_ellipsis;
  image->needs_json = filter.kind == PatternKind::kJson || filter.kind == PatternKind::kInsights;
  image->needs_fields = filter.kind == PatternKind::kDelimited;
  image->trie = vm::PathTrie::Build(image->slots);
  // The AST and IR texts are printed by Explain(), not here: printing them
  // was half of Compile's time (BM_Compile 131 -> 68 us; with the other
  // changes in, 549k -> 234k instructions per Compile).
  image->ast_text = std::move(ast_text);
  image->warnings = std::move(warnings);
  image->filter = std::move(filter);
  const std::string& text = image->pattern;
  if (auto generated = codegen::Generate(image->filter, *image); !generated) {
    return std::unexpected(Error(
        MakeError(ErrorCode::kLimitExceeded, {0, static_cast<uint32_t>(text.size())}, generated.error(), text), text));
  }
  if (std::string problem = vm::Verify(*image); !problem.empty()) {
    // A verifier failure is a compiler bug; report it rather than run the program.
    return std::unexpected(Error(
        MakeError(ErrorCode::kUnsupported, {0, static_cast<uint32_t>(text.size())},
                  "internal error: the compiled program failed verification: " + problem, text),
        text));
  }
  return Program(std::move(image));
}

}  // namespace detail

namespace {

Result<Program> CompileInsightsFilter(std::string source, const CompileOptions& options) {
  insights::Parsed parsed = insights::ParseFilterExpression(source);
  if (!parsed.ok()) return std::unexpected(Error(std::move(parsed.diagnostics), source));
  const insights::Expr& expr = parsed.ast.commands.front().expr;
  insights::LowerOutcome lowered = insights::LowerFilter(expr, source, {});
  if (!lowered.errors.empty()) return std::unexpected(Error(std::move(lowered.errors), source));
  if (!lowered.filter) {
    return std::unexpected(Error(
        MakeError(ErrorCode::kUnsupported, expr.span,
                  "this filter " + lowered.why_not + ", so it runs only inside a query (cwlf query)", source),
        source));
  }
  return detail::BuildProgram(std::move(*lowered.filter), std::move(source), options, std::nullopt,
                              std::move(parsed.diagnostics));
}

// Explain(kAst) of a pattern that compiled: parse it again and print the tree.
// Parsing is deterministic, so this is the text Compile would have printed.
std::string ReparsedAstText(const detail::Image& image) {
  if (image.options.dialect == Dialect::kInsightsFilter) {
    insights::Parsed parsed = insights::ParseFilterExpression(image.pattern);
    if (!parsed.ok()) return {};
    return insights::PrintExpr(parsed.ast.commands.front().expr) + "\n";
  }
  auto parsed = parse::Parse(image.pattern, image.options);
  return parsed ? ast::Print(*parsed) : std::string();
}

}  // namespace

Result<Program> Program::Compile(std::string_view pattern, const CompileOptions& options) {
  std::string source(pattern);
  if (options.dialect == Dialect::kInsightsFilter) return CompileInsightsFilter(std::move(source), options);
  auto parsed = parse::Parse(source, options);
  if (!parsed) return std::unexpected(Error(std::move(parsed).error(), source));

  sema::Lowered lowered = sema::Lower(*parsed, source, options);
  if (!lowered.ok()) {
    std::vector<Diagnostic> errors;
    for (Diagnostic& d : lowered.diagnostics)
      if (d.severity == Severity::kError) errors.push_back(std::move(d));
    return std::unexpected(Error(std::move(errors), source));
  }
  return detail::BuildProgram(std::move(lowered.filter), std::move(source), options, std::nullopt,
                              std::move(lowered.diagnostics));
}

std::string Program::Explain(Stage stage) const {
  switch (stage) {
    case Stage::kAst: return image_->ast_text ? *image_->ast_text : ReparsedAstText(*image_);
    case Stage::kIr: return ir::Print(image_->filter);
    case Stage::kBytecode: return vm::Disassemble(*image_);
  }
  return {};
}

std::string_view Program::pattern() const { return image_->pattern; }
PatternKind Program::kind() const { return image_->kind; }
std::span<const Diagnostic> Program::warnings() const { return image_->warnings; }
const CompileOptions& Program::options() const { return image_->options; }

}  // namespace cwlf
