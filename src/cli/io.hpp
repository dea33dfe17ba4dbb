// Input helpers for the CLI: whole files or stdin, gzip detected by content.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cwlf::cli {

// Reads a file ("-" is stdin), inflating gzip. nullopt with *error set when
// the input cannot be read.
std::optional<std::string> ReadInput(const std::string& path, std::string* error);

// Splits text into lines (LF or CRLF), dropping a final empty line.
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace cwlf::cli
