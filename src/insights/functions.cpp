// The function table.
#include "insights/functions.hpp"

#include <strings.h>

namespace cwlf::insights {

namespace {
constexpr FunctionInfo kFunctions[] = {
    // general
    {"ispresent", 1, 1, false}, {"isempty", 1, 1, false}, {"isblank", 1, 1, false},
    {"coalesce", 1, -1, false}, {"if", 3, 3, false}, {"isNumeric", 1, 1, false},
    {"messageSize", 1, 1, false},
    // string
    {"strcontains", 2, 3, false}, {"startsWith", 2, 3, false}, {"endsWith", 2, 3, false},
    {"strlen", 1, 1, false}, {"tolower", 1, 1, false}, {"toupper", 1, 1, false},
    {"trim", 1, 2, false}, {"ltrim", 1, 2, false}, {"rtrim", 1, 2, false},
    {"substr", 2, 3, false}, {"replace", 3, 3, false}, {"regexReplace", 3, 3, false},
    {"concat", 1, -1, false}, {"hexToAscii", 1, 1, false}, {"hexToDec", 1, 1, false},
    {"decToHex", 1, 1, false},
    // numeric
    {"abs", 1, 1, false}, {"ceil", 1, 1, false}, {"floor", 1, 1, false}, {"round", 1, 2, false},
    {"sqrt", 1, 1, false}, {"log", 1, 1, false}, {"greatest", 1, -1, false}, {"least", 1, -1, false},
    {"toNumber", 1, 1, false}, {"toInt", 1, 1, false}, {"toLong", 1, 1, false}, {"toDouble", 1, 1, false},
    // IP
    {"isValidIp", 1, 1, false}, {"isValidIpV4", 1, 1, false}, {"isValidIpV6", 1, 1, false},
    {"isIpv4InSubnet", 2, 2, false}, {"isIpInSubnet", 2, 2, false}, {"ipv4ToNumber", 1, 1, false},
    {"isPrivateIP", 1, 1, false},
    // JSON and time
    {"jsonParse", 1, 1, false}, {"bin", 1, 1, false}, {"toMillis", 1, 1, false}, {"fromMillis", 1, 1, false},
    // aggregates
    {"count", 0, 1, true}, {"count_distinct", 1, 1, true}, {"sum", 1, 1, true}, {"avg", 1, 1, true},
    {"min", 1, 1, true}, {"max", 1, 1, true}, {"earliest", 1, 1, true}, {"latest", 1, 1, true},
    {"pct", 2, 2, true}, {"stddev", 1, 1, true},
};
}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& f : kFunctions)
    if (f.name.size() == name.size() && strncasecmp(f.name.data(), name.data(), name.size()) == 0) return &f;
  return nullptr;
}

}  // namespace cwlf::insights
