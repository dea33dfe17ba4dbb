// The dispatch loop. A switch behind CWLF_DISPATCH/CWLF_CASE so computed goto
// can replace it once a benchmark shows a gain (none measured yet).
#include "vm/interp.hpp"

#include <re2/re2.h>

#include "util/number.hpp"

namespace cwlf::vm {

namespace {

inline bool IsScalar(const Value& v) {
  return v.kind == ValueKind::kString || v.kind == ValueKind::kNumber || v.kind == ValueKind::kField;
}

// A test on a slot holds when any of its values passes; with kNegate, when
// any scalar value fails the test (R-J5).
template <typename Test>
inline bool AnyScalar(const std::vector<Value>& values, uint8_t flags, Test test) {
  const bool negate = flags & kNegate;
  for (const Value& v : values) {
    if (!IsScalar(v)) continue;
    if (test(v) != negate) return true;
  }
  return false;
}

template <typename Compare>
inline bool AnyNumber(const std::vector<Value>& values, Compare compare) {
  for (const Value& v : values) {
    if ((v.kind == ValueKind::kNumber || v.kind == ValueKind::kField) && v.numeric &&
        compare(v.number))
      return true;
  }
  return false;
}

inline bool NumEq(const Value& v, const detail::NumberConstant& n) {
  switch (v.kind) {
    case ValueKind::kNumber: return v.numeric && v.number == n.value;
    case ValueKind::kString: return v.text == n.text;
    case ValueKind::kField: return (v.numeric && v.number == n.value) || v.text == n.text;
    default: return false;
  }
}

// Logs Insights views of a value (R-I4): booleans are 1/0; strings that are
// numeric literals are numbers too.
inline bool InsightsScalar(const Value& v) {
  return IsScalar(v) || v.kind == ValueKind::kTrue || v.kind == ValueKind::kFalse;
}
inline bool InsightsNumber(const Value& v, double* out) {
  switch (v.kind) {
    case ValueKind::kNumber: *out = v.number; return v.numeric;
    case ValueKind::kTrue: *out = 1; return true;
    case ValueKind::kFalse: *out = 0; return true;
    case ValueKind::kString: return util::ParseNumber(v.text, out);
    case ValueKind::kField: *out = v.number; return v.numeric;
    default: return false;
  }
}
inline std::string_view InsightsText(const Value& v) {
  if (v.kind == ValueKind::kTrue) return "1";
  if (v.kind == ValueKind::kFalse) return "0";
  return v.text;
}

inline bool ValueEq(const Value& v, const detail::NumberConstant& k) {
  double n = 0;
  if (k.numeric && InsightsNumber(v, &n)) return n == k.value;
  return InsightsText(v) == k.text;
}

// -1, 0, 1 for v against k, or 2 when they do not order (R-I6).
inline int ValueOrder(const Value& v, const detail::NumberConstant& k, bool string_literal) {
  double n = 0;
  if (k.numeric && InsightsNumber(v, &n)) return n < k.value ? -1 : n > k.value ? 1 : 0;
  if (string_literal && (v.kind == ValueKind::kString || v.kind == ValueKind::kField)) {
    const int c = InsightsText(v).compare(k.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return 2;
}

template <typename Accept>
inline bool AnyOrdered(const std::vector<Value>& values, const detail::NumberConstant& k, uint8_t flags,
                       Accept accept) {
  for (const Value& v : values) {
    const int order = ValueOrder(v, k, flags & kStringLiteral);
    if (order != 2 && accept(order)) return true;
  }
  return false;
}

}  // namespace

#define CWLF_DISPATCH(op) switch (op)
#define CWLF_CASE(name) case Op::name:

bool Run(const detail::Image& image, const Scratch& scratch) noexcept {
  const Inst* code = image.code.data();
  uint32_t pc = image.entry;
  while (pc > kAcceptPc) {
    const Inst& in = code[pc];
    static const std::vector<Value> kNoValues;
    const auto& values = in.slot < scratch.slots.size() ? scratch.slots[in.slot] : kNoValues;
    bool r = false;
    CWLF_DISPATCH(in.op) {
      CWLF_CASE(REJECT) CWLF_CASE(ACCEPT) CWLF_CASE(kCount) r = false; break;
      CWLF_CASE(JUMP) r = true; break;
      CWLF_CASE(IS_JSON_OBJECT) r = scratch.json_object; break;
      CWLF_CASE(MIN_FIELDS) r = scratch.tokens.size() >= in.k; break;
      CWLF_CASE(EXACT_FIELDS) r = scratch.tokens.size() == in.k; break;
      CWLF_CASE(EXISTS) r = !values.empty(); break;
      CWLF_CASE(IS_NULL)
        for (const Value& v : values)
          r |= v.kind == ValueKind::kNull || (v.kind == ValueKind::kArray && v.has_null_element);
        break;
      CWLF_CASE(IS_TRUE) for (const Value& v : values) r |= v.kind == ValueKind::kTrue; break;
      CWLF_CASE(IS_FALSE) for (const Value& v : values) r |= v.kind == ValueKind::kFalse; break;
      CWLF_CASE(STR_EQ) {
        const std::string& k = image.strings[in.k];
        r = AnyScalar(values, in.flags, [&k](const Value& v) { return v.text == k; });
        break;
      }
      CWLF_CASE(STR_PREFIX) {
        const std::string& k = image.strings[in.k];
        r = AnyScalar(values, in.flags, [&k](const Value& v) { return v.text.starts_with(k); });
        break;
      }
      CWLF_CASE(STR_SUFFIX) {
        const std::string& k = image.strings[in.k];
        r = AnyScalar(values, in.flags, [&k](const Value& v) { return v.text.ends_with(k); });
        break;
      }
      CWLF_CASE(STR_CONTAINS) {
        const std::string& k = image.strings[in.k];
        r = AnyScalar(values, in.flags,
                      [&k](const Value& v) { return v.text.find(k) != std::string_view::npos; });
        break;
      }
      CWLF_CASE(STR_ANY) r = AnyScalar(values, in.flags, [](const Value&) { return true; }); break;
      CWLF_CASE(STR_GLOB) {
        const ir::Glob& g = image.globs[in.k];
        r = AnyScalar(values, in.flags, [&g](const Value& v) { return g.Match(v.text); });
        break;
      }
      CWLF_CASE(STR_REGEX) {
        const RE2& re = *image.regexes[in.k];
        r = AnyScalar(values, in.flags, [&re](const Value& v) {
          return RE2::PartialMatch(re2::StringPiece(v.text.data(), v.text.size()), re);
        });
        break;
      }
      CWLF_CASE(NUM_EQ) {
        const detail::NumberConstant& n = image.numbers[in.k];
        r = AnyScalar(values, in.flags, [&n](const Value& v) { return NumEq(v, n); });
        break;
      }
      CWLF_CASE(NUM_LT) {
        const double n = image.numbers[in.k].value;
        r = AnyNumber(values, [n](double x) { return x < n; });
        break;
      }
      CWLF_CASE(NUM_LE) {
        const double n = image.numbers[in.k].value;
        r = AnyNumber(values, [n](double x) { return x <= n; });
        break;
      }
      CWLF_CASE(NUM_GT) {
        const double n = image.numbers[in.k].value;
        r = AnyNumber(values, [n](double x) { return x > n; });
        break;
      }
      CWLF_CASE(NUM_GE) {
        const double n = image.numbers[in.k].value;
        r = AnyNumber(values, [n](double x) { return x >= n; });
        break;
      }
      CWLF_CASE(PRESENT) for (const Value& v : values) r |= InsightsScalar(v); break;
      CWLF_CASE(VAL_EQ) {
        const detail::NumberConstant& k = image.numbers[in.k];
        const bool negate = in.flags & kNegate;
        for (const Value& v : values)
          if (InsightsScalar(v) && ValueEq(v, k) != negate) { r = true; break; }
        break;
      }
      CWLF_CASE(VAL_LT) r = AnyOrdered(values, image.numbers[in.k], in.flags, [](int o) { return o < 0; }); break;
      CWLF_CASE(VAL_LE) r = AnyOrdered(values, image.numbers[in.k], in.flags, [](int o) { return o <= 0; }); break;
      CWLF_CASE(VAL_GT) r = AnyOrdered(values, image.numbers[in.k], in.flags, [](int o) { return o > 0; }); break;
      CWLF_CASE(VAL_GE) r = AnyOrdered(values, image.numbers[in.k], in.flags, [](int o) { return o >= 0; }); break;
      CWLF_CASE(MSG_CONTAINS)
        r = scratch.message.find(image.strings[in.k]) != std::string_view::npos;
        break;
      CWLF_CASE(MSG_REGEX)
        r = RE2::PartialMatch(re2::StringPiece(scratch.message.data(), scratch.message.size()),
                              *image.regexes[in.k]);
        break;
    }
    pc = r ? in.jt : in.jf;
  }
  return pc == kAcceptPc;
}

}  // namespace cwlf::vm
