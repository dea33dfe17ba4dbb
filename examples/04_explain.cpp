// Example 4: look inside a compiled pattern. Explain() prints each stage of
// the compiler: the parse tree (AST), the intermediate representation (IR)
// with AWS's semantics spelled out, and the verified bytecode with the source
// span of every instruction. The pattern is CIS CloudWatch.1 (root account use).
#include <cstdio>
#include <string>

#include "cwlf/cwlf.hpp"

int main() {
  const std::string pattern =
      R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && )"
      R"($.eventType != "AwsServiceEvent" })";
  const cwlf::Result<cwlf::Program> program = cwlf::Program::Compile(pattern);
  if (!program) {
    std::fprintf(stderr, "%s", program.error().Render().c_str());
    return 1;
  }
  std::printf("pattern: %s\nkind: %s\n\n", pattern.c_str(),
              std::string(cwlf::PatternKindName(program->kind())).c_str());
  const struct {
    cwlf::Stage stage;
    const char* title;
  } stages[] = {{cwlf::Stage::kAst, "AST"},
                {cwlf::Stage::kIr, "IR"},
                {cwlf::Stage::kBytecode, "bytecode"}};
  for (const auto& [stage, title] : stages) {
    const std::string text = program->Explain(stage);
    if (text.empty()) return 1;
    std::printf("---- %s ----\n%s\n", title, text.c_str());
  }
  return 0;
}
