// Rule-ID mixins: on_success writes a node's byte span; on_error turns X3's
// expectation_failure into a SyntaxFailure and fails the parse. Only these two
// files touch positions and errors; the rules themselves carry no actions.
#pragma once

#include <type_traits>

#include "config.hpp"
#include "syntax.hpp"

namespace cwlf::grammar {

struct annotate_span {
  template <typename Iterator, typename Attribute, typename Context>
  void on_success(const Iterator& first, const Iterator& last, Attribute& attr,
                  const Context& context) const {
    if constexpr (std::is_base_of_v<ast::Spanned, Attribute>) {
      const ParseState& state = x3::get<parse_state_tag>(context).get();
      attr.begin = static_cast<uint32_t>(first - state.source_begin);
      attr.end = static_cast<uint32_t>(last - state.source_begin);
      // An empty match can see `first` past the skipped space: keep begin <= end.
      if (attr.end < attr.begin) attr.end = attr.begin;
    }
  }
};

struct report_failure : annotate_span {
  template <typename Iterator, typename Exception, typename Context>
  x3::error_handler_result on_error(Iterator&, const Iterator&, const Exception& failure,
                                    const Context& context) const {
    ParseState& state = x3::get<parse_state_tag>(context).get();
    if (!state.failure) {
      state.failure = SyntaxFailure{static_cast<uint32_t>(failure.where() - state.source_begin),
                                    failure.which()};
    }
    return x3::error_handler_result::fail;
  }
};

}  // namespace cwlf::grammar
