// Metric transformations: validation and per-event values (semantics.md R-M).
// A JSON selector is read by compiling `{ <selector> = * }` once and reading
// its slot after extraction, so selectors mean exactly what they mean in
// patterns (R-J2).
#include "cwlf/metric.hpp"

#include <fmt/format.h>

#include <array>

#include "source/make_diagnostic.hpp"
#include "util/number.hpp"
#include "vm/extract.hpp"

namespace cwlf {

namespace {

constexpr std::array<std::string_view, 27> kUnits = {
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
    "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
    "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
    "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
    "Terabits/Second", "Count/Second", "None"};

enum class ValueForm { kNumber, kJsonSelector, kField, kInvalid };

ValueForm FormOf(std::string_view v, double* number) {
  if (util::ParseNumber(v, number)) return ValueForm::kNumber;
  if (v.starts_with("$.") || v.starts_with("$[")) return ValueForm::kJsonSelector;
  if (v.size() > 1 && v[0] == '$') {
    for (char c : v.substr(1))
      if (!(isalnum(static_cast<unsigned char>(c)) || c == '_')) return ValueForm::kInvalid;
    return ValueForm::kField;
  }
  return ValueForm::kInvalid;
}

Diagnostic Problem(std::string origin, std::string_view text, std::string message) {
  Diagnostic d = MakeError(ErrorCode::kBadMetricTransformation, {0, static_cast<uint32_t>(text.size())},
                           std::move(message), text);
  d.origin = std::move(origin);
  return d;
}

bool FieldKnown(const Program& program, std::string_view name) {
  if (name.empty()) return false;
  if (isdigit(static_cast<unsigned char>(name[0]))) return true;  // $N: any position
  for (const ir::FieldName& f : program.image().fields)
    if (f.name == name) return true;
  return false;
}

// Checks one "$..." reference (metricValue or a dimension value).
void CheckReference(const Program& program, const std::string& origin, const std::string& text,
                    bool allow_number, std::vector<Diagnostic>& out) {
  double number = 0;
  const ValueForm form = FormOf(text, &number);
  const PatternKind kind = program.kind();
  if (form == ValueForm::kNumber && allow_number) return;
  if (form == ValueForm::kJsonSelector) {
    if (kind != PatternKind::kJson) {
      out.push_back(Problem(origin, text, "a '$.selector' value needs a JSON pattern"));
    } else if (!Program::Compile("{ " + text + " = * }")) {
      out.push_back(Problem(origin, text, fmt::format("'{}' is not a valid selector", text)));
    }
    return;
  }
  if (form == ValueForm::kField) {
    if (kind != PatternKind::kDelimited) {
      out.push_back(Problem(origin, text, "a '$field' value needs a space-delimited pattern"));
    } else if (!FieldKnown(program, std::string_view(text).substr(1))) {
      out.push_back(Problem(origin, text, fmt::format("the pattern has no field named '{}'", text.substr(1))));
    }
    return;
  }
  out.push_back(Problem(origin, text,
                        allow_number ? "expected a number, '$.selector', '$field' or '$N'"
                                     : "expected '$.selector', '$field' or '$N'"));
}

void CheckName(const std::string& origin, const std::string& name, std::vector<Diagnostic>& out) {
  if (name.empty() || name.size() > 255) {
    out.push_back(Problem(origin, name, "must be 1 to 255 characters long"));
    return;
  }
  const size_t bad = name.find_first_of(":*$");
  if (bad != std::string::npos) {
    Diagnostic d = Problem(origin, name, fmt::format("'{}' is not allowed here", name[bad]));
    d.span = {static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)};
    d.location = LocateOffset(name, d.span.begin);
    out.push_back(std::move(d));
  }
}

}  // namespace

std::vector<Diagnostic> CheckMetricTransformation(const Program& program, const MetricTransformation& t) {
  std::vector<Diagnostic> out;
  CheckName("metricName", t.metric_name, out);
  CheckName("metricNamespace", t.metric_namespace, out);
  if (t.metric_value.empty() || t.metric_value.size() > 100) {
    out.push_back(Problem("metricValue", t.metric_value, "must be 1 to 100 characters long"));
  } else {
    CheckReference(program, "metricValue", t.metric_value, true, out);
  }
  if (!t.dimensions.empty()) {
    if (program.kind() == PatternKind::kTerms)
      out.push_back(Problem("dimensions", "", "the specified filter pattern does not support dimensions"));
    if (t.dimensions.size() > 3)
      out.push_back(Problem("dimensions", "", fmt::format("at most 3 dimensions, not {}", t.dimensions.size())));
    if (t.default_value)
      out.push_back(Problem("dimensions", "", "dimensions cannot be combined with a defaultValue"));
    for (const auto& [name, value] : t.dimensions) {
      CheckName("dimensions." + name, name, out);
      if (program.kind() != PatternKind::kTerms) CheckReference(program, "dimensions." + name, value, false, out);
    }
  }
  bool known_unit = false;
  for (std::string_view u : kUnits) known_unit |= u == t.unit;
  if (!known_unit) out.push_back(Problem("unit", t.unit, fmt::format("'{}' is not a CloudWatch unit", t.unit)));
  return out;
}

namespace detail {

// One value source: a constant, a JSON selector (with its compiled reader),
// or a space-delimited field name.
struct ValueSource {
  ValueForm form = ValueForm::kInvalid;
  double number = 0;
  std::string field;  // "$name"
  std::optional<Program> reader;
};

class MetricState {
 public:
  MetricTransformation transformation;
  ValueSource value;
  std::vector<std::pair<std::string, ValueSource>> dimensions;
  vm::Scratch scratch;

  static ValueSource Source(const std::string& text) {
    ValueSource s;
    s.form = FormOf(text, &s.number);
    if (s.form == ValueForm::kJsonSelector) {
      auto p = Program::Compile("{ " + text + " = * }");
      if (p) s.reader = std::move(*p);
    } else if (s.form == ValueForm::kField) {
      s.field = text;
    }
    return s;
  }

  // The text a source reads from the event, or nullopt.
  std::optional<std::string> Read(const ValueSource& s, std::string_view message,
                                  const std::vector<ExtractedValue>& extracted) {
    if (s.form == ValueForm::kNumber) return fmt::format("{}", s.number);
    if (s.form == ValueForm::kField) {
      for (const ExtractedValue& v : extracted)
        if (v.name == s.field) return v.value;
      return std::nullopt;
    }
    if (s.form == ValueForm::kJsonSelector && s.reader) {
      const Image& image = s.reader->image();
      vm::Extract(image, message, scratch);
      for (const auto& values : scratch.slots) {
        for (const vm::Value& v : values)
          if (v.kind == vm::ValueKind::kString || v.kind == vm::ValueKind::kNumber) return std::string(v.text);
      }
    }
    return std::nullopt;
  }
};

}  // namespace detail

Result<MetricEvaluator> MetricEvaluator::Create(const Program& program, const MetricTransformation& t) {
  std::vector<Diagnostic> problems = CheckMetricTransformation(program, t);
  if (!problems.empty()) return std::unexpected(Error(std::move(problems)));
  auto state = std::make_unique<detail::MetricState>();
  state->transformation = t;
  state->value = detail::MetricState::Source(t.metric_value);
  for (const auto& [name, value] : t.dimensions)
    state->dimensions.emplace_back(name, detail::MetricState::Source(value));
  return MetricEvaluator(std::move(state));
}

MetricEvaluator::MetricEvaluator(std::unique_ptr<detail::MetricState> state) : state_(std::move(state)) {}
MetricEvaluator::~MetricEvaluator() = default;
MetricEvaluator::MetricEvaluator(MetricEvaluator&&) noexcept = default;
MetricEvaluator& MetricEvaluator::operator=(MetricEvaluator&&) noexcept = default;

const MetricTransformation& MetricEvaluator::transformation() const { return state_->transformation; }

std::optional<double> MetricEvaluator::Value(std::string_view message,
                                             const std::vector<ExtractedValue>& extracted) noexcept {
  if (state_->value.form == ValueForm::kNumber) return state_->value.number;
  try {
    auto text = state_->Read(state_->value, message, extracted);
    double number = 0;
    if (text && util::ParseNumber(*text, &number)) return number;
  } catch (...) {
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> MetricEvaluator::Dimensions(
    std::string_view message, const std::vector<ExtractedValue>& extracted) noexcept {
  std::vector<std::pair<std::string, std::string>> out;
  try {
    for (const auto& [name, source] : state_->dimensions) {
      auto text = state_->Read(source, message, extracted);
      if (text) out.emplace_back(name, std::move(*text));
    }
  } catch (...) {
  }
  return out;
}

}  // namespace cwlf
