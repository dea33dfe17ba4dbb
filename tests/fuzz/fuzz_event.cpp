// libFuzzer target: arbitrary bytes as a log event, run through a fixed set of
// patterns (every family, the JSON and delimited operators, globs, regexes,
// wildcard selectors). Aborts when the VM and the reference evaluator disagree
// on the match or on the extracted values. Not a test of the patterns' answers.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"

namespace {

struct Subject {
  cwlf::Program program;
  cwlf::Matcher matcher;
  const char* options;  // which option set, for the report
};

cwlf::Program CompileOrDie(std::string_view pattern, const cwlf::CompileOptions& options) {
  auto program = cwlf::Program::Compile(pattern, options);
  if (!program) {
    std::fprintf(stderr, "fuzz_event: a fixed pattern does not compile:\n%s",
                 program.error().Render().c_str());
    std::abort();
  }
  return *std::move(program);
}

// Compiled once; each Matcher is reused for every input, as users do.
std::vector<Subject>& Subjects() {
  static std::vector<Subject>* subjects = [] {
    const char* const kPatterns[] = {
        "ERROR",
        "?ERROR ?WARN ?\"two words\"",
        "ERROR -DEBUG \"say \\\"hi\\\"\"",
        "%^ERROR\\s[0-9]{3}$% %caf.%",
        "{ $.eventType = \"AwsApiCall\" && $.errorCode = \"*Unauthorized*\" }",
        "{ $.n >= 10 || $.n < -1.5 || $.n = 1* || $.s = \"a*b*c\" }",
        "{ $.arr[*].k = %v.{2}% || $.items[*].a = 1 || $.* = \"hit\" }",
        "{ ($.a.b[0] NOT EXISTS && $.d IS NULL) || $.['k.k'] != \"x\" || $.f IS TRUE }",
        "[ip, user, ts, request = *.html*, status = 4*, bytes > 1000]",
        "[w1=ERROR || w1=%WARN%, ..., w2 != \"x y\", last]",
        "[a, b, c]",
    };
    auto* out = new std::vector<Subject>();
    cwlf::CompileOptions other;  // the alternative readings of R-G1 and R-D3
    other.glob_mode = cwlf::GlobMode::kEdgesOnly;
    other.last_field = cwlf::LastFieldMode::kExactCount;
    for (const char* pattern : kPatterns) {
      cwlf::Program program = CompileOrDie(pattern, {});
      out->push_back(Subject{program, cwlf::Matcher(program), "default"});
      program = CompileOrDie(pattern, other);
      out->push_back(Subject{program, cwlf::Matcher(program), "edges-only globs, exact field count"});
    }
    return out;
  }();
  return *subjects;
}

std::string Escaped(std::string_view s) {
  std::string text;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      text += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      text += buf;
    }
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view event(reinterpret_cast<const char*>(data), size);
  for (Subject& subject : Subjects()) {
    const cwlf::MatchResult vm = subject.matcher.Match(event);
    const cwlf::reference::Answer oracle = cwlf::reference::Evaluate(subject.program, event);
    const char* problem = nullptr;
    if (vm.matched != oracle.matched) problem = "VM and reference disagree on the match";
    else if (vm.matched && subject.matcher.ExtractedValues() != oracle.extracted)
      problem = "VM and reference extract different values";
    if (problem) {
      std::fprintf(stderr,
                   "fuzz_event: %s (VM %d, reference %d, status %s)\n  pattern: %s\n  options: %s\n"
                   "  event: %s\n",
                   problem, vm.matched, oracle.matched,
                   std::string(cwlf::MatchStatusName(vm.status)).c_str(),
                   std::string(subject.program.pattern()).c_str(), subject.options, Escaped(event).c_str());
      std::abort();
    }
  }
  return 0;
}
