// libFuzzer target: arbitrary bytes as a filter pattern. Compiles the input
// under a few option sets and aborts on a crash, on a diagnostic whose span or
// location is off the input, and on any disagreement between the VM and the
// reference evaluator over a few fixed events and the input itself. Not a
// test of what the answers are, only that the two evaluators give the same.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"

namespace {

// Prints what went wrong with the input escaped, then aborts so that libFuzzer
// records the input as a crash.
[[noreturn]] void Fail(std::string_view what, std::string_view pattern, std::string_view event = {}) {
  std::string text;
  auto escape = [&text](std::string_view s) {
    for (unsigned char c : s) {
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        text += static_cast<char>(c);
      } else {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\x%02x", c);
        text += buf;
      }
    }
  };
  text = std::string(what) + "\n  pattern: ";
  escape(pattern);
  text += "\n  event: ";
  escape(event);
  std::fprintf(stderr, "fuzz_parse: %s\n", text.c_str());
  std::abort();
}

// Every diagnostic must point into the text it was made for.
void CheckDiagnostic(const cwlf::Diagnostic& d, std::string_view input) {
  if (d.span.begin > d.span.end || d.span.end > input.size())
    Fail("diagnostic span outside the pattern: [" + std::to_string(d.span.begin) + ", " +
             std::to_string(d.span.end) + ") for " + std::to_string(input.size()) + " bytes (" +
             d.message + ")",
         input);
  if (d.location.line < 1 || d.location.column < 1)
    Fail("diagnostic location below 1:1 (" + d.message + ")", input);
  const cwlf::SourceLocation expected = cwlf::LocateOffset(input, d.span.begin);
  if (expected.line != d.location.line || expected.column != d.location.column)
    Fail("diagnostic location " + std::to_string(d.location.line) + ":" +
             std::to_string(d.location.column) + " is not that of span.begin (" +
             std::to_string(expected.line) + ":" + std::to_string(expected.column) + ", " +
             d.message + ")",
         input);
  if (d.message.empty()) Fail("diagnostic without a message", input);
  if (d.Render(input).empty()) Fail("empty rendering", input);
}

// Events of each family that many patterns at least partly look at.
const std::vector<std::string>& FixedEvents() {
  static const std::vector<std::string> events = {
      "",
      "ERROR 400 BAD REQUEST",
      "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534",
      "a b  c \"d e\" [f g] h",
      R"({"eventType":"AwsApiCall","errorCode":"AccessDenied","userIdentity":{"type":"Root"},)"
      R"("n":12.5,"b":true,"z":null,"arr":["x",{"k":"v"},[1,2]],"a.b":"dot"})",
      R"({"a":1,"a":"1","v":[],"w":{},"s":"caf\u00e9 *?","n":-0,"e":1e-5})",
      "[1, 2, 3]",
      "{broken",
  };
  return events;
}

// The VM and the oracle must agree on every event, including the extracted
// values of a delimited pattern.
void CompareOnEvent(const cwlf::Program& program, cwlf::Matcher& matcher, std::string_view event) {
  const cwlf::MatchResult vm = matcher.Match(event);
  const cwlf::reference::Answer oracle = cwlf::reference::Evaluate(program, event);
  if (vm.matched != oracle.matched)
    Fail(std::string("VM says ") + (vm.matched ? "match" : "no match") + ", reference says " +
             (oracle.matched ? "match" : "no match") + " (status " +
             std::string(cwlf::MatchStatusName(vm.status)) + ")",
         program.pattern(), event);
  if (vm.matched && matcher.ExtractedValues() != oracle.extracted)
    Fail("VM and reference extract different values", program.pattern(), event);
}

void CompileAndCheck(std::string_view input, const cwlf::CompileOptions& options) {
  cwlf::Result<cwlf::Program> program = cwlf::Program::Compile(input, options);
  if (!program) {
    const cwlf::Error& error = program.error();
    if (error.all().empty()) Fail("an Error without diagnostics", input);
    if (error.source() != input) Fail("Error::source() is not the pattern", input);
    for (const cwlf::Diagnostic& d : error.all()) CheckDiagnostic(d, input);
    if (error.Render().empty()) Fail("empty Error::Render()", input);
    return;
  }
  if (program->pattern() != input) Fail("Program::pattern() is not the input", input);
  for (const cwlf::Diagnostic& d : program->warnings()) {
    if (d.severity == cwlf::Severity::kError) Fail("a compiled program carries an error", input);
    CheckDiagnostic(d, input);
  }
  for (cwlf::Stage stage : {cwlf::Stage::kAst, cwlf::Stage::kIr, cwlf::Stage::kBytecode})
    if (program->Explain(stage).empty()) Fail("empty Explain()", input);

  // One Matcher reused across events, as users do: no state may leak.
  cwlf::Matcher matcher(*program);
  for (const std::string& event : FixedEvents()) CompareOnEvent(*program, matcher, event);
  CompareOnEvent(*program, matcher, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  CompileAndCheck(input, cwlf::CompileOptions{});

  cwlf::CompileOptions other;  // every unsettled-semantics switch flipped
  other.glob_mode = cwlf::GlobMode::kEdgesOnly;
  other.last_field = cwlf::LastFieldMode::kExactCount;
  other.strict_terms = false;
  CompileAndCheck(input, other);

  cwlf::CompileOptions tight;  // small limits, so each limit is reached
  tight.max_pattern_bytes = 64;
  tight.max_nesting = 3;
  tight.max_regexes = 1;
  tight.max_wildcard_paths = 1;
  tight.max_instructions = 16;
  tight.regex_max_mem = 64 << 10;
  CompileAndCheck(input, tight);

  cwlf::CompileOptions insights;  // the reserved dialect must refuse cleanly
  insights.dialect = cwlf::Dialect::kInsightsFilter;
  CompileAndCheck(input, insights);
  return 0;
}
