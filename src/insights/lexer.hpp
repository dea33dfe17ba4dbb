// Tokens of the Logs Insights query language. The parser pulls them one at a
// time; '/' is a regex opener or a division depending on the previous token.
#pragma once

#include <string>
#include <string_view>

#include "cwlf/diagnostic.hpp"

namespace cwlf::insights {

struct Token {
  enum class Kind : uint8_t {
    kEnd, kIdent, kNumber, kDuration, kString, kRegex, kOp, kPipe, kError
  };
  Kind kind = Kind::kEnd;
  std::string text;   // identifier (backtick segments unquoted), operator, string value, regex body
  std::string raw;    // as written
  SourceSpan span;
  std::string error;  // kError: what is wrong
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  Token Next();
  // Reads a /regex/ starting at `begin`, for a '/' the parser found where
  // only a value can stand (after `like`, in `parse`).
  Token RegexAt(uint32_t begin) {
    pos_ = begin;
    return LexRegex(begin);
  }
  uint32_t offset() const { return pos_; }

 private:
  void SkipSpaceAndComments();
  Token Make(Token::Kind kind, uint32_t begin, std::string text);
  Token Error(uint32_t begin, uint32_t end, std::string message);
  Token LexIdent(uint32_t begin);
  Token LexQuoted(uint32_t begin, char quote);
  Token LexRegex(uint32_t begin);
  Token LexNumber(uint32_t begin);

  std::string_view text_;
  uint32_t pos_ = 0;
  bool value_before_ = false;  // the previous token ends a value: '/' divides
};

}  // namespace cwlf::insights
