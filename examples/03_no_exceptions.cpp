// Example 3: example 1 for code built without exceptions. Only Result<T>
// (std::expected) is used: test it, then read the value or the error. The
// consumer project compiles this file with -fno-exceptions to prove it.
#include <cstdio>
#include <string>
#include <vector>

#include "cwlf/cwlf.hpp"

int main() {
  cwlf::Result<cwlf::Program> program = cwlf::Program::Compile(
      "[ip, identity, user, timestamp, request, status = 4*, bytes > 1000]");
  if (!program) {
    std::fprintf(stderr, "%s", program.error().Render().c_str());
    return 1;
  }
  std::printf("pattern: %s (%s)\n", std::string(program->pattern()).c_str(),
              std::string(cwlf::PatternKindName(program->kind())).c_str());

  const std::vector<std::string> events = {
      R"(192.0.2.10 - alice [10/Oct/2025:13:55:36 +0000] "GET /index.html HTTP/1.1" 404 2326)",
      R"(192.0.2.11 - bob [10/Oct/2025:13:55:37 +0000] "GET /logo.png HTTP/1.1" 200 5120)",
      R"(192.0.2.12 - carol [10/Oct/2025:13:55:38 +0000] "POST /api HTTP/1.1" 403 12)",
  };
  cwlf::Matcher matcher(*std::move(program));
  int matches = 0;
  for (const std::string& event : events) {
    // Match() is noexcept: malformed input is a status, never an error.
    const cwlf::MatchResult result = matcher.Match(event);
    std::printf("%-8s %s\n", result.matched ? "MATCH" : "no match", event.c_str());
    if (!result.matched) continue;
    ++matches;
    for (const cwlf::ExtractedValue& value : matcher.ExtractedValues())
      std::printf("           %s = %s\n", value.name.c_str(), value.value.c_str());
  }

  // An invalid pattern is just a value to inspect.
  const cwlf::Result<cwlf::Program> bad = cwlf::Program::Compile("{ $.status = 4");
  if (bad) return 1;
  std::printf("a broken pattern is rejected: %s\n", bad.error().primary().message.c_str());

  std::printf("%d of %zu events matched\n", matches, events.size());
  return matches == 1 ? 0 : 1;
}
