// Matcher: owns the per-thread scratch; Match() = extract + interpret.
#include "cwlf/matcher.hpp"

#include "vm/extract.hpp"
#include "vm/interp.hpp"

namespace cwlf {

namespace detail {
class MatcherState {
 public:
  vm::Scratch scratch;
  bool last_matched = false;
};
}  // namespace detail

std::string_view MatchStatusName(MatchStatus status) {
  switch (status) {
    case MatchStatus::kOk: return "ok";
    case MatchStatus::kNotJson: return "not_json";
    case MatchStatus::kTooLarge: return "too_large";
    case MatchStatus::kUnparsed: return "unparsed";
  }
  return "ok";
}

Matcher::Matcher(Program program)
    : program_(std::move(program)), state_(std::make_unique<detail::MatcherState>()) {}
Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

MatchResult Matcher::Match(std::string_view message) noexcept {
  state_->last_matched = false;
  if (message.size() > kMaxEventBytes) return {false, MatchStatus::kTooLarge};
  const detail::Image& image = program_.image();
  MatchStatus status = vm::Extract(image, message, state_->scratch);
  bool matched = vm::Run(image, state_->scratch);
  if (matched && !vm::ConfirmJson(image, state_->scratch)) {
    status = MatchStatus::kNotJson;
    matched = vm::Run(image, state_->scratch);  // as for any event that is not JSON
  }
  state_->last_matched = matched;
  return {matched, status};
}

std::vector<ExtractedValue> Matcher::ExtractedValues() const {
  std::vector<ExtractedValue> out;
  const detail::Image& image = program_.image();
  if (!state_->last_matched || image.kind != PatternKind::kDelimited) return out;
  const vm::Scratch& s = state_->scratch;
  const int64_t count = static_cast<int64_t>(s.tokens.size());
  // Name each position: a named pattern field, or "$N" (R-D8).
  std::vector<const ir::FieldName*> by_position(static_cast<size_t>(count), nullptr);
  int64_t last_position = count - 1;
  for (const ir::FieldName& f : image.fields) {
    const int64_t at = f.index < 0 ? count + f.index : f.index;
    if (at >= 0 && at < count) by_position[static_cast<size_t>(at)] = &f;
    if (f.rest) last_position = at;
  }
  for (int64_t i = 0; i <= last_position && i < count; ++i) {
    const ir::FieldName* f = by_position[static_cast<size_t>(i)];
    ir::Operand operand;
    operand.kind = f && f->rest ? ir::OperandKind::kRest : ir::OperandKind::kField;
    operand.index = static_cast<int32_t>(i);
    std::string_view value;
    if (!vm::FieldValue(s.message, s.tokens, operand, &value)) continue;
    std::string name = f && !f->name.empty() ? "$" + f->name : "$" + std::to_string(i + 1);
    out.push_back({std::move(name), std::string(value)});
  }
  return out;
}

}  // namespace cwlf
