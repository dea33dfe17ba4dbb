// The numeric literal of filter patterns (sign, digits, fraction, exponent),
// shared by the checker (is a value a number?) and the VM (is a field text a
// number?). Header-only; no locale, no allocation.
#pragma once

#include <charconv>
#include <string_view>

namespace cwlf::util {

// True when `t` is a numeric literal; stores its value in *value.
inline bool ParseNumber(std::string_view t, double* value) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  size_t digits = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != t.size()) return false;
  if (t.front() == '+') t.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), *value);
  return ec == std::errc() || ec == std::errc::result_out_of_range;
}

}  // namespace cwlf::util
