// Reads and writes golden .case files (tests/golden/README.md): blocks that
// start with "pattern: ...", then sections ("ast:", "ir:", "bytecode:",
// "error:") whose lines are indented two spaces, and "event: MSG => match" lines.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cwlf::testing {

struct EventLine {
  std::string message;
  std::string expected;  // "match", "no-match", or "match $a=1 $b=2"
};

struct CaseBlock {
  std::vector<std::string> comments;  // "#" lines before the pattern
  std::string pattern;
  std::vector<std::pair<std::string, std::string>> sections;  // name -> text (unindented)
  std::vector<EventLine> events;
};

inline std::vector<CaseBlock> ReadCaseFile(const std::string& path) {
  std::ifstream in(path);
  std::vector<CaseBlock> blocks;
  std::vector<std::string> pending_comments;
  std::string line;
  std::string* section = nullptr;
  while (std::getline(in, line)) {
    if (section && line.rfind("  ", 0) == 0) {
      *section += line.substr(2) + "\n";
      continue;
    }
    section = nullptr;
    if (line.empty()) continue;
    if (line[0] == '#') {
      pending_comments.push_back(line);
    } else if (line.rfind("pattern: ", 0) == 0 || line == "pattern:") {
      CaseBlock b;
      b.comments = std::move(pending_comments);
      pending_comments.clear();
      b.pattern = line.size() > 9 ? line.substr(9) : "";
      blocks.push_back(std::move(b));
    } else if (!blocks.empty() && line.rfind("event: ", 0) == 0) {
      const size_t arrow = line.rfind(" => ");
      EventLine e;
      e.message = line.substr(7, arrow == std::string::npos ? std::string::npos : arrow - 7);
      e.expected = arrow == std::string::npos ? "" : line.substr(arrow + 4);
      blocks.back().events.push_back(std::move(e));
    } else if (!blocks.empty() && line.back() == ':') {
      blocks.back().sections.emplace_back(line.substr(0, line.size() - 1), "");
      section = &blocks.back().sections.back().second;
    }
  }
  return blocks;
}

inline std::string WriteCaseFile(const std::vector<CaseBlock>& blocks) {
  std::ostringstream out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const CaseBlock& b = blocks[i];
    if (i) out << "\n";
    for (const auto& c : b.comments) out << c << "\n";
    out << "pattern: " << b.pattern << "\n";
    for (const auto& [name, text] : b.sections) {
      out << name << ":\n";
      std::istringstream lines(text);
      std::string l;
      while (std::getline(lines, l)) out << "  " << l << "\n";
    }
    for (const auto& e : b.events) out << "event: " << e.message << " => " << e.expected << "\n";
  }
  return out.str();
}

}  // namespace cwlf::testing
