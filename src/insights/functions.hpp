// The Logs Insights functions cwlf supports: names, arities, and whether they
// aggregate (stats only). Anything not listed is rejected with its position
// (an unsupported function is never ignored).
#pragma once

#include <string>
#include <string_view>

namespace cwlf::insights {

struct FunctionInfo {
  std::string_view name;  // canonical spelling
  int min_args;
  int max_args;           // -1: any number
  bool aggregate;
};

// Case-insensitive lookup; nullptr when unknown.
const FunctionInfo* FindFunction(std::string_view name);

}  // namespace cwlf::insights
