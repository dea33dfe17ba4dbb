// One GoogleTest per golden .case file. Each block's sections are recomputed
// (ast, ir, bytecode printers; rendered errors) and its event lines matched,
// through the VM and the reference evaluator both. CWLF_UPDATE_GOLDEN=1
// rewrites the expected sections and outcomes instead of comparing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"
#include "support/case_file.hpp"

namespace cwlf {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(CWLF_GOLDEN_DIR))
    if (entry.path().extension() == ".case") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string Unescape(const std::string& s) {
  // Event lines may write \n and \t (and \\) so one line can hold them.
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[i + 1];
      if (c == 'n') { out += '\n'; ++i; continue; }
      if (c == 't') { out += '\t'; ++i; continue; }
      if (c == '\\') { out += '\\'; ++i; continue; }
    }
    out += s[i];
  }
  return out;
}

std::string Outcome(Matcher& matcher, const std::string& message) {
  if (!matcher.Match(message).matched) return "no-match";
  std::string out = "match";
  for (const ExtractedValue& v : matcher.ExtractedValues()) out += " " + v.name + "=" + v.value;
  return out;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, Matches) {
  const bool update = std::getenv("CWLF_UPDATE_GOLDEN") != nullptr;
  auto blocks = testing::ReadCaseFile(GetParam());
  ASSERT_FALSE(blocks.empty()) << "no cases in " << GetParam();
  for (auto& block : blocks) {
    SCOPED_TRACE("pattern: " + block.pattern);
    auto program = Program::Compile(block.pattern);
    for (auto& [name, expected] : block.sections) {
      std::string actual;
      if (name == "error") {
        if (program) {
          for (const Diagnostic& d : program->warnings()) actual += d.Render(block.pattern);
          if (actual.empty()) actual = "(valid)\n";
        } else {
          actual = program.error().Render();
        }
      } else if (!program) {
        actual = "(invalid)\n" + program.error().Render();
      } else if (name == "ast") {
        actual = program->Explain(Stage::kAst);
      } else if (name == "ir") {
        actual = program->Explain(Stage::kIr);
      } else if (name == "bytecode") {
        actual = program->Explain(Stage::kBytecode);
      } else {
        ADD_FAILURE() << "unknown section " << name;
        continue;
      }
      if (update) expected = actual;
      else EXPECT_EQ(expected, actual) << "section " << name;
    }
    if (block.events.empty()) continue;
    ASSERT_TRUE(program.has_value()) << program.error().Render();
    Matcher matcher(*program);
    for (auto& event : block.events) {
      const std::string message = Unescape(event.message);
      const std::string actual = Outcome(matcher, message);
      // The reference evaluator must agree with the VM on every golden event.
      const reference::Answer oracle = reference::Evaluate(*program, message);
      EXPECT_EQ(oracle.matched, actual != "no-match") << "oracle disagrees on " << event.message;
      if (update) event.expected = actual;
      else EXPECT_EQ(event.expected, actual) << "event: " << event.message;
    }
  }
  if (update) {
    std::ofstream(GetParam()) << testing::WriteCaseFile(blocks);
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::relative(info.param, CWLF_GOLDEN_DIR).replace_extension().string();
  for (char& c : name)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(CaseFiles()), CaseName);

}  // namespace
}  // namespace cwlf
