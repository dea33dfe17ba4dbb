// The Insights lexer. Identifiers are dotted names whose segments may be
// backtick-quoted (json.`user.id`); '#' starts a comment to the end of the
// line (B.1); typographic quotes are an error with a hint.
#include "insights/lexer.hpp"

#include <fmt/format.h>

namespace cwlf::insights {

namespace {
bool IsIdentStart(char c) { return isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '$'; }
bool IsIdentChar(char c) { return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '$'; }
}  // namespace

void Lexer::SkipSpaceAndComments() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else {
      break;
    }
  }
}

Token Lexer::Make(Token::Kind kind, uint32_t begin, std::string text) {
  Token t;
  t.kind = kind;
  t.text = std::move(text);
  t.span = {begin, pos_};
  t.raw = std::string(text_.substr(begin, pos_ - begin));
  value_before_ = kind == Token::Kind::kIdent || kind == Token::Kind::kNumber || kind == Token::Kind::kDuration ||
                  kind == Token::Kind::kString || kind == Token::Kind::kRegex ||
                  (kind == Token::Kind::kOp && (t.text == ")" || t.text == "]"));
  return t;
}

Token Lexer::Error(uint32_t begin, uint32_t end, std::string message) {
  Token t;
  t.kind = Token::Kind::kError;
  t.span = {begin, end};
  t.error = std::move(message);
  pos_ = static_cast<uint32_t>(text_.size());
  return t;
}

Token Lexer::Next() {
  SkipSpaceAndComments();
  const uint32_t begin = pos_;
  if (pos_ >= text_.size()) return Make(Token::Kind::kEnd, begin, "");
  const char c = text_[pos_];
  const std::string_view rest = text_.substr(pos_);
  if (rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D") ||
      rest.starts_with("\xE2\x80\x98") || rest.starts_with("\xE2\x80\x99")) {
    return Error(begin, begin + 3, "a typographic quote is not a string delimiter: use a plain '\"'");
  }
  if (IsIdentStart(c) || c == '`') return LexIdent(begin);
  if (isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && pos_ + 1 < text_.size() && isdigit(static_cast<unsigned char>(text_[pos_ + 1]))))
    return LexNumber(begin);
  if (c == '"' || c == '\'') return LexQuoted(begin, c);
  if (c == '/' && !value_before_) return LexRegex(begin);
  if (c == '|') {
    ++pos_;
    Token t = Make(Token::Kind::kPipe, begin, "|");
    value_before_ = false;
    return t;
  }
  for (std::string_view op : {"=~", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%", "^", "(", ")",
                              "[", "]", ",", "."}) {
    if (rest.starts_with(op)) {
      pos_ += static_cast<uint32_t>(op.size());
      return Make(Token::Kind::kOp, begin, std::string(op));
    }
  }
  if (static_cast<unsigned char>(c) >= 0x80) return Error(begin, begin + 1, "unexpected non-ASCII character");
  return Error(begin, begin + 1, fmt::format("unexpected character '{}'", c));
}

Token Lexer::LexIdent(uint32_t begin) {
  std::string name;
  while (true) {
    if (pos_ < text_.size() && text_[pos_] == '`') {
      const size_t close = text_.find('`', pos_ + 1);
      if (close == std::string_view::npos) return Error(pos_, static_cast<uint32_t>(text_.size()), "unterminated `name`");
      name.append(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = static_cast<uint32_t>(close + 1);
    } else {
      const uint32_t start = pos_;
      while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
      if (pos_ == start) break;
      name.append(text_.substr(start, pos_ - start));
    }
    // A dot followed by another segment continues the name (`a.b.0.c`).
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' &&
        (IsIdentChar(text_[pos_ + 1]) || text_[pos_ + 1] == '`')) {
      name += '.';
      ++pos_;
      continue;
    }
    break;
  }
  return Make(Token::Kind::kIdent, begin, std::move(name));
}

Token Lexer::LexQuoted(uint32_t begin, char quote) {
  std::string value;
  ++pos_;
  while (pos_ < text_.size() && text_[pos_] != quote) {
    if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
      const char e = text_[pos_ + 1];
      value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      pos_ += 2;
      continue;
    }
    value += text_[pos_++];
  }
  if (pos_ >= text_.size())
    return Error(begin, static_cast<uint32_t>(text_.size()), fmt::format("unterminated string: expected {} to close it", quote));
  ++pos_;
  return Make(Token::Kind::kString, begin, std::move(value));
}

Token Lexer::LexRegex(uint32_t begin) {
  ++pos_;
  std::string body;
  while (pos_ < text_.size() && text_[pos_] != '/') {
    if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
      if (text_[pos_ + 1] == '/') {
        body += '/';
      } else {
        body += text_[pos_];
        body += text_[pos_ + 1];
      }
      pos_ += 2;
      continue;
    }
    if (text_[pos_] == '\n') break;
    body += text_[pos_++];
  }
  if (pos_ >= text_.size() || text_[pos_] != '/')
    return Error(begin, pos_, "unterminated regular expression: expected '/' to close it");
  ++pos_;
  return Make(Token::Kind::kRegex, begin, std::move(body));
}

Token Lexer::LexNumber(uint32_t begin) {
  while (pos_ < text_.size() && isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '.' && pos_ + 1 < text_.size() &&
      isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
    ++pos_;
    while (pos_ < text_.size() && isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    uint32_t save = pos_++;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (pos_ < text_.size() && isdigit(static_cast<unsigned char>(text_[pos_]))) {
      while (pos_ < text_.size() && isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    } else {
      pos_ = save;
    }
  }
  const uint32_t digits_end = pos_;
  // A unit right after the digits makes a time period: 5m, 1h, 100ms (B.3).
  while (pos_ < text_.size() && isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  if (pos_ > digits_end) {
    return Make(Token::Kind::kDuration, begin, std::string(text_.substr(begin, pos_ - begin)));
  }
  return Make(Token::Kind::kNumber, begin, std::string(text_.substr(begin, pos_ - begin)));
}

}  // namespace cwlf::insights
