// The syntax tree the X3 grammar builds: plain data, one struct per EBNF
// production, each carrying its byte span (written by annotate.hpp). It is the
// compiler's AST too (src/ast prints it, src/sema checks and lowers it); it
// never leaves the library. Fusion adaptation lives in syntax_adapted.hpp.
#pragma once

#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cwlf::ast {

namespace x3 = boost::spirit::x3;

// Byte offsets [begin, end) into the pattern, set when a rule succeeds.
struct Spanned {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// A value on the right of a comparison: kind 'q' quoted string (escapes
// removed), 'r' regular expression (between %...%), 'b' bare word.
struct Value : Spanned {
  char kind = 'b';
  std::string text;
};

// ---- unstructured term patterns -------------------------------------------

// One term: prefix '?', '-' or 0; kind 'q' quoted phrase, 'r' regex, 'b' bare.
struct Term : Spanned {
  char prefix = 0;
  Value atom;
};

struct TermPattern : Spanned {
  std::vector<Term> terms;
};

// ---- JSON patterns ----------------------------------------------------------

// One selector step: kind '.' (key), '[' (array index), '*' (wildcard);
// text is the key or the index digits.
struct SelectorStep {
  char kind = '.';
  std::string text;
};

struct Selector : Spanned {
  char root = '$';
  std::vector<SelectorStep> steps;
};

// What follows a selector: op is a comparison ("=", "!=", "<", "<=", ">",
// ">=") with a value, or "NULL"/"TRUE"/"FALSE" (after IS) or "EXISTS" (after
// NOT), with an empty value.
struct ConditionTail {
  std::string op;
  Value value;
};

struct JsonCondition : Spanned {
  Selector selector;
  ConditionTail tail;
};

struct JsonOr;

// JsonCondition comes first because X3 default-constructs each operand
// before parsing it, and a default forward_ast allocates a JsonOr
// (BM_Compile: 313k -> 295k instructions per Compile).
struct JsonUnary : Spanned, x3::variant<JsonCondition, x3::forward_ast<JsonOr>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct JsonAnd : Spanned {
  std::vector<JsonUnary> operands;
};

struct JsonOr : Spanned {
  std::vector<JsonAnd> operands;
};

struct JsonPattern : Spanned {
  JsonOr expr;
};

// ---- space-delimited patterns -------------------------------------------

// `name`, or `name op value` (tail.op empty for a bare name). The name
// "..." is the ellipsis.
struct FieldTest : Spanned {
  std::string name;
  ConditionTail tail;
};

struct FieldLink {
  std::string op;  // "&&" or "||"
  FieldTest test;
};

// One comma-separated field: its first test and the tests joined to it. An
// empty name with no links is the unnamed field a trailing comma adds.
struct Field : Spanned {
  FieldTest first;
  std::vector<FieldLink> rest;
};

struct DelimitedPattern : Spanned {
  std::vector<Field> fields;
};

}  // namespace cwlf::ast
