// Example 2: what a rejected pattern looks like. Each bad pattern's
// diagnostics are printed twice: rendered with a caret under the offending
// text (Error::Render), and as data (code, severity, line:column, byte span)
// for tools that want their own presentation. Also shows the warnings a
// valid but probably mistaken pattern carries.
#include <cstdio>
#include <string>

#include "cwlf/cwlf.hpp"

namespace {

// Prints the diagnostics of a pattern that must not compile; false if it did.
bool ShowRejection(const std::string& pattern) {
  std::printf("== %s\n", pattern.c_str());
  const cwlf::Result<cwlf::Program> program = cwlf::Program::Compile(pattern);
  if (program) {
    std::printf("unexpectedly valid\n");
    return false;
  }
  const cwlf::Error& error = program.error();
  std::printf("%s", error.Render().c_str());
  for (const cwlf::Diagnostic& d : error.all()) {
    std::printf("  -> %s %s at %u:%u, bytes [%u, %u)\n",
                std::string(cwlf::SeverityName(d.severity)).c_str(),
                std::string(cwlf::ErrorCodeName(d.code)).c_str(), d.location.line,
                d.location.column, d.span.begin, d.span.end);
  }
  return true;
}

}  // namespace

int main() {
  bool ok = true;
  ok &= ShowRejection(R"({ $.eventName = "ConsoleLogin" && $.errorMessage = "Failed* })");
  ok &= ShowRejection(R"({ $.userIdentity.type = "Root" AND $.eventType != "AwsServiceEvent" })");
  ok &= ShowRejection("{ $.sourceIPAddress = null }");
  ok &= ShowRejection("[ip, ..., status = 4*, ..., bytes]");

  // Valid, but a warning says it does not do what it seems to.
  const std::string mistaken = "?ERROR ?WARN REQUEST";
  std::printf("== %s\n", mistaken.c_str());
  const cwlf::Result<cwlf::Program> program = cwlf::Program::Compile(mistaken);
  if (!program || program->warnings().empty()) {
    std::printf("expected a valid pattern with a warning\n");
    return 1;
  }
  for (const cwlf::Diagnostic& warning : program->warnings())
    std::printf("%s", warning.Render(mistaken).c_str());
  return ok ? 0 : 1;
}
