// Example 1: compile one filter pattern and match log events with it, the way
// CloudWatch Logs' TestMetricFilter does, printing the values a
// space-delimited pattern extracts. Errors become exceptions here (OrThrow);
// 03_no_exceptions.cpp is the same program without them.
#include <cstdio>
#include <string>
#include <vector>

#include "cwlf/cwlf.hpp"

int main() {
  try {
    // A space-delimited pattern: 7 named fields of an Apache access log line;
    // the status must start with 4 and the size exceed 1000 bytes.
    const cwlf::Program program = cwlf::OrThrow(cwlf::Program::Compile(
        "[ip, identity, user, timestamp, request, status = 4*, bytes > 1000]"));
    std::printf("pattern: %s (%s)\n", std::string(program.pattern()).c_str(),
                std::string(cwlf::PatternKindName(program.kind())).c_str());

    const std::vector<std::string> events = {
        R"(192.0.2.10 - alice [10/Oct/2025:13:55:36 +0000] "GET /index.html HTTP/1.1" 404 2326)",
        R"(192.0.2.11 - bob [10/Oct/2025:13:55:37 +0000] "GET /logo.png HTTP/1.1" 200 5120)",
        R"(192.0.2.12 - carol [10/Oct/2025:13:55:38 +0000] "POST /api HTTP/1.1" 403 12)",
    };

    // A Matcher holds the per-thread scratch; reuse it for every event.
    cwlf::Matcher matcher(program);
    int matches = 0;
    for (const std::string& event : events) {
      const cwlf::MatchResult result = matcher.Match(event);
      std::printf("%-8s %s\n", result.matched ? "MATCH" : "no match", event.c_str());
      if (!result.matched) continue;
      ++matches;
      for (const cwlf::ExtractedValue& value : matcher.ExtractedValues())
        std::printf("           %s = %s\n", value.name.c_str(), value.value.c_str());
    }
    std::printf("%d of %zu events matched\n", matches, events.size());
    return matches == 1 ? 0 : 1;  // only the 404 with 2326 bytes qualifies
  } catch (const cwlf::PatternError& error) {
    std::fprintf(stderr, "%s", error.what());  // the rendered diagnostics
    return 1;
  }
}
