// The AWS regex dialect check (semantics.md R-X1..R-X4).
#include "sema/regex_dialect.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstring>

namespace cwlf::sema {

namespace {

bool IsLiteral(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '_': case '#': case '=': case '@': case '/': case ';': case ',': case '-': case ':':
    case ' ':
      return true;
    default:
      return false;
  }
}

bool IsOperator(unsigned char c) {
  switch (c) {
    case '^': case '$': case '?': case '[': case ']': case '{': case '}': case '|': case '*':
    case '+': case '.':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<RegexProblem> CheckAwsRegex(std::string_view body) {
  for (uint32_t i = 0; i < body.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    if (c == '\\') {
      if (i + 1 >= body.size()) {
        return RegexProblem{i, 1, ErrorCode::kBadRegex, "a regular expression cannot end with '\\'"};
      }
      const unsigned char e = static_cast<unsigned char>(body[i + 1]);
      if (e == 'x') {
        if (i + 3 < body.size() && std::isxdigit(static_cast<unsigned char>(body[i + 2])) &&
            std::isxdigit(static_cast<unsigned char>(body[i + 3]))) {
          i += 3;
          continue;
        }
        return RegexProblem{i, 2, ErrorCode::kBadRegex,
                            "'\\x' must be followed by two hexadecimal digits, as in \\x28"};
      }
      if (std::strchr("dDsSwWtnr", e) != nullptr && e != 0) {
        ++i;
        continue;
      }
      if (e < 0x80 && std::ispunct(e)) {
        ++i;
        continue;
      }
      return RegexProblem{i, 2, ErrorCode::kUnsupported,
                          fmt::format("the escape '\\{}' is not supported in AWS regular "
                                      "expressions (only \\d \\D \\s \\S \\w \\W, \\xHH and "
                                      "escaped punctuation)",
                                      static_cast<char>(e))};
    }
    if (c == '(' || c == ')') {
      return RegexProblem{i, 1, ErrorCode::kUnsupported,
                          fmt::format("'{}' is not allowed: AWS regular expressions have no "
                                      "groups; write \\x28 or \\x29 for a literal parenthesis",
                                      static_cast<char>(c))};
    }
    if (c >= 0x80) {
      uint32_t n = 1;
      while (i + n < body.size() && (static_cast<unsigned char>(body[i + n]) & 0xC0) == 0x80) ++n;
      return RegexProblem{i, n, ErrorCode::kInvalidCharacter,
                          "non-ASCII characters are not supported in AWS regular expressions"};
    }
    if (IsLiteral(c) || IsOperator(c)) continue;
    return RegexProblem{i, 1, ErrorCode::kInvalidCharacter,
                        fmt::format("invalid character '{}' in regular expression; write it as "
                                    "\\x{:02X}",
                                    static_cast<char>(c), c)};
  }
  return std::nullopt;
}

}  // namespace cwlf::sema
