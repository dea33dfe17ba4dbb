// Instantiates the filter-pattern rules for const char* input and runs them.
// No exception leaves this file: X3's expectation failures become a
// SyntaxFailure in the on_error mixin, anything else is caught here.
#include "metric_filter.hpp"

#include "metric_filter_def.hpp"

namespace cwlf::grammar {

namespace {

template <typename Rule, typename Attribute>
bool RunRule(const Rule& rule, std::string_view text, Attribute& out, ParseState& state) {
  state.source_begin = text.data();
  iterator_type first = text.data();
  const iterator_type last = text.data() + text.size();
  auto parser = x3::with<parse_state_tag>(std::ref(state))[rule];
  bool ok = false;
  try {
    ok = x3::phrase_parse(first, last, parser, x3::ascii::space, out);
  } catch (const std::exception&) {
    ok = false;
  }
  if (state.failure) return false;
  if (!ok) {
    state.failure = SyntaxFailure{static_cast<uint32_t>(first - text.data()), ""};
    return false;
  }
  if (first != last) {
    state.failure = SyntaxFailure{static_cast<uint32_t>(first - text.data()), "end of pattern"};
    return false;
  }
  return true;
}

}  // namespace

bool ParseTermPattern(std::string_view text, ast::TermPattern& out, ParseState& state) {
  return RunRule(rules::term_pattern, text, out, state);
}

bool ParseJsonPattern(std::string_view text, ast::JsonPattern& out, ParseState& state) {
  return RunRule(rules::json_pattern, text, out, state);
}

bool ParseDelimitedPattern(std::string_view text, ast::DelimitedPattern& out, ParseState& state) {
  return RunRule(rules::delimited_pattern, text, out, state);
}

}  // namespace cwlf::grammar
