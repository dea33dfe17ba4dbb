// detail::Image: everything a compiled Program is. Instructions, constant
// pools, the slot table (one operand per slot), the path trie the extractor
// walks, the source map (pc -> span) and what Explain() needs to print the
// earlier stages. Built by codegen, checked by the verifier, read by the VM.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cwlf/diagnostic.hpp"
#include "cwlf/options.hpp"
#include "cwlf/program.hpp"
#include "ir/glob.hpp"
#include "ir/ir.hpp"
#include "vm/inst.hpp"
#include "vm/path_trie.hpp"

namespace cwlf::detail {

struct NumberConstant {
  double value = 0;
  std::string text;      // as written in the pattern
  bool numeric = true;   // false for a VAL_* string literal that is not a number
};

struct Image {
  std::string pattern;
  CompileOptions options;
  PatternKind kind = PatternKind::kTerms;

  std::vector<vm::Inst> code;    // code[0] REJECT, code[1] ACCEPT
  std::vector<SourceSpan> spans; // per pc
  uint16_t entry = vm::kRejectPc;

  std::vector<std::string> strings;
  std::vector<ir::Glob> globs;
  std::vector<NumberConstant> numbers;
  std::vector<std::shared_ptr<const re2::RE2>> regexes;

  std::vector<ir::Operand> slots;
  vm::PathTrie trie;  // JSON slots
  std::vector<ir::FieldName> fields;
  bool has_ellipsis = false;
  bool needs_json = false;    // the program reads the event as JSON
  bool needs_fields = false;  // the program splits the event into fields

  ir::Filter filter;  // the IR it was compiled from (reference evaluator, Explain(kIr))
  // Explain(kAst) text when parsing `pattern` again would not give it (a
  // Query's filter stage, whose spans count from the start of the query).
  // Unset: Explain() parses `pattern` again, so Compile prints nothing.
  std::optional<std::string> ast_text;
  std::vector<Diagnostic> warnings;
};

}  // namespace cwlf::detail
