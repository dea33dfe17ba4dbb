// Quotes text for the stage printers (IR, bytecode): double quotes, with
// quote, backslash, newline and tab escaped. Header-only.
#pragma once

#include <string>
#include <string_view>

namespace cwlf::util {

inline std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace cwlf::util
