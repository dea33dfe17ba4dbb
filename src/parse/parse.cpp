// Runs the grammar for the pattern's family and turns the first syntax failure
// into a Diagnostic in the user's vocabulary. The friendly names of what was
// expected are the table below, keyed by X3 rule names and literals.
#include "parse/parse.hpp"

#include <fmt/format.h>

#include <array>

#include "grammar/x3/metric_filter.hpp"
#include "source/make_diagnostic.hpp"

namespace cwlf::parse {

namespace {

// X3 `which()` strings (rule names, or literals as X3 prints them) -> phrases.
struct FriendlyName {
  std::string_view which;
  std::string_view phrase;
};
constexpr FriendlyName kFriendlyNames[] = {
    {"'\"'", "'\"' to close the quoted string"},
    {"'%'", "'%' to close the regular expression"},
    {"'}'", "'&&', '||' or '}' to close the JSON pattern"},
    {"')'", "'&&', '||' or ')'"},
    {"']'", "',' or ']' to close the field list"},
    {"\"']\"", "\"']\" to close the quoted key"},
    {"condition", "a condition such as '$.field = value'"},
    {"value", "a value (a number, a word, a \"quoted string\" or a %regex%)"},
    {"condition_tail", "a comparison (= != < <= > >=), IS NULL/TRUE/FALSE or NOT EXISTS (upper case)"},
    {"field", "a field name"},
    {"field condition", "a condition such as 'status = 404'"},
    {"term", "a term"},
    {"selector", "a selector such as '$.field'"},
    {"end of pattern", "the end of the pattern"},
};

std::string Friendly(std::string_view which, PatternKind kind) {
  if (which == "']'" && kind == PatternKind::kJson) return "']' to close the array index";
  for (const FriendlyName& f : kFriendlyNames)
    if (f.which == which) return std::string(f.phrase);
  if (which.empty()) return "valid syntax";
  return std::string(which);
}

// A short rendering of the text at `offset` for "but found ...".
std::string FoundAt(std::string_view text, uint32_t offset) {
  if (offset >= text.size()) return "the end of the pattern";
  const unsigned char c = static_cast<unsigned char>(text[offset]);
  if (text.substr(offset).starts_with("\xE2\x80\x9C") || text.substr(offset).starts_with("\xE2\x80\x9D"))
    return "a typographic quote (use a plain '\"')";
  if (text.substr(offset).starts_with("\xE2\x80\x98") || text.substr(offset).starts_with("\xE2\x80\x99"))
    return "a typographic quote (use a plain '\"')";
  if (c >= 0x80) return "a non-ASCII character";
  if (c < 0x20) return fmt::format("control character 0x{:02x}", c);
  size_t n = 1;
  while (offset + n < text.size() && n < 12 && isalnum(static_cast<unsigned char>(text[offset])) &&
         isalnum(static_cast<unsigned char>(text[offset + n])))
    ++n;
  return fmt::format("'{}'", text.substr(offset, n));
}

uint32_t CountCodePoints(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The bytes NestingDepth acts on; it skips every other byte at once, and most
// of a pattern is names and values (BM_Compile: 243k -> 234k instructions).
constexpr std::array<bool, 256> kNestingBytes = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("\"%()\\")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// Deepest '(' / '[' nesting outside quoted strings and regexes, to bound the
// recursion of the grammar before it runs.
uint32_t NestingDepth(std::string_view text, uint32_t* where) {
  uint32_t depth = 0, max_depth = 0;
  char quote = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!kNestingBytes[static_cast<unsigned char>(c)]) continue;
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '%') quote = c;
    else if (c == '(') {
      if (++depth > max_depth) { max_depth = depth; *where = i; }
    } else if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

std::expected<ParsedPattern, Diagnostic> Parse(std::string_view text, const CompileOptions& options) {
  const uint32_t length = CountCodePoints(text);
  if (length > options.max_pattern_bytes) {
    return std::unexpected(MakeError(
        ErrorCode::kLimitExceeded,
        {options.max_pattern_bytes, static_cast<uint32_t>(text.size())},
        fmt::format("the pattern is {} characters long; at most {} are allowed", length,
                    options.max_pattern_bytes),
        text));
  }
  uint32_t deep_at = 0;
  if (NestingDepth(text, &deep_at) > options.max_nesting) {
    return std::unexpected(MakeError(
        ErrorCode::kLimitExceeded, {deep_at, deep_at + 1},
        fmt::format("parentheses nest deeper than {} levels", options.max_nesting), text));
  }
  if (text.find('\0') != std::string_view::npos) {
    const uint32_t at = static_cast<uint32_t>(text.find('\0'));
    return std::unexpected(MakeError(ErrorCode::kInvalidCharacter, {at, at + 1},
                                     "the pattern contains a NUL byte", text));
  }

  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && first > 0 && (text[first] == '{' || text[first] == '[')) {
    // R-A2: only a first character of '{' or '[' makes a structured pattern.
    return std::unexpected(MakeError(
        ErrorCode::kUnexpectedToken, {0, static_cast<uint32_t>(first + 1)},
        fmt::format("whitespace before '{}': AWS reads this as a term pattern and rejects it; "
                    "remove the leading whitespace",
                    text[first]),
        text));
  }

  ParsedPattern parsed;
  grammar::ParseState state;
  bool ok = false;
  if (!text.empty() && text.front() == '{') {
    parsed.kind = PatternKind::kJson;
    ok = grammar::ParseJsonPattern(text, parsed.json, state);
  } else if (!text.empty() && text.front() == '[') {
    parsed.kind = PatternKind::kDelimited;
    ok = grammar::ParseDelimitedPattern(text, parsed.delimited, state);
  } else {
    parsed.kind = PatternKind::kTerms;
    ok = grammar::ParseTermPattern(text, parsed.terms, state);
  }
  if (ok) return parsed;

  const grammar::SyntaxFailure failure = state.failure.value_or(grammar::SyntaxFailure{});
  uint32_t at = std::min<uint32_t>(failure.offset, static_cast<uint32_t>(text.size()));
  // X3 reports the position before the skipper ran; point at the token.
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) ++at;
  std::string expected = Friendly(failure.expected, parsed.kind);
  ErrorCode code = ErrorCode::kUnexpectedToken;
  if (failure.expected == "'\"'") code = ErrorCode::kUnterminatedString;
  if (failure.expected == "'%'") code = ErrorCode::kUnterminatedRegex;
  if (parsed.kind == PatternKind::kTerms && failure.expected == "end of pattern" &&
      at < text.size() && text[at] == '"') {
    // A quote the term grammar could not use: it opens a phrase never closed.
    code = ErrorCode::kUnterminatedString;
    return std::unexpected(MakeError(code, {at, static_cast<uint32_t>(text.size())},
                                     "unterminated quoted phrase: expected '\"' to close it", text));
  }
  std::string message = fmt::format("expected {} but found {}", expected, FoundAt(text, at));
  if (code == ErrorCode::kUnterminatedString || code == ErrorCode::kUnterminatedRegex) {
    message = fmt::format("expected {} before the end of the pattern", expected);
  }
  const uint32_t end = at < text.size() ? at + 1 : at;
  return std::unexpected(MakeError(code, {at, end}, std::move(message), text));
}

}  // namespace cwlf::parse
