// Per-event extraction: fills the slot table from one event before the
// interpreter runs. JSON with one forward pass of simdjson On-Demand guided by
// the path trie (keys no rule reads are skipped, never materialised); space-
// delimited fields with one tokenizing pass. Internal: includes simdjson.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "cwlf/matcher.hpp"
#include "vm/image.hpp"

namespace cwlf::vm {

enum class ValueKind : uint8_t { kString, kNumber, kNull, kTrue, kFalse, kArray, kObject, kField };

struct Value {
  ValueKind kind = ValueKind::kNull;
  bool has_null_element = false;  // kArray: a direct element is null (R-J8)
  bool numeric = false;           // kNumber, or a kField whose text is a number
  double number = 0;
  std::string_view text;          // string value, number's JSON text, field text
};

// One space-delimited field of the message: [begin, end) is its value (quotes
// or brackets stripped), [raw_begin, raw_end) its text as written.
struct Token {
  uint32_t begin = 0, end = 0, raw_begin = 0, raw_end = 0;
};

// Splits a message into fields (R-D1, R-D2). Shared by the VM and extractedValues.
void Tokenize(std::string_view message, std::vector<Token>& tokens);

// The value of a field operand (kField / kRest) for this token list, or false
// when the event has too few fields.
bool FieldValue(std::string_view message, const std::vector<Token>& tokens, const ir::Operand& operand,
                std::string_view* out);

struct Scratch {
  simdjson::ondemand::parser parser;
  simdjson::dom::parser validator;  // ConfirmJson only
  std::string buffer;  // padded copy of a JSON event
  std::string_view message;
  const char* json = nullptr;  // the bytes simdjson parsed: buffer, or the message in place
  bool json_object = false;
  std::vector<std::vector<Value>> slots;
  std::vector<Token> tokens;
};

// Fills `scratch` for `message`. Never throws. `padded`: the caller promises
// kReadPadding readable bytes (any content) after the message, so simdjson
// parses it in place instead of a padded copy.
inline constexpr size_t kReadPadding = simdjson::SIMDJSON_PADDING;
MatchStatus Extract(const detail::Image& image, std::string_view message, Scratch& scratch,
                    bool padded = false) noexcept;

// On-Demand checks only what the program reads, so a program that accepted
// an event must confirm it is valid JSON before the answer stands (R-J1).
// Validates the whole event once (a DOM parse); when it is not JSON, clears
// the JSON slots and json_object so the caller can run the program again.
// Returns false in that case. Cost is paid only for accepted events; it is
// the price of R-J1: BM_RuleSet/rules:1 (a rule that accepts 55% of corpus
// events) went from 30.9 to 49.4 ms CPU, BM_Floor 12.7-14.1 ms beside it.
bool ConfirmJson(const detail::Image& image, Scratch& scratch) noexcept;

}  // namespace cwlf::vm
