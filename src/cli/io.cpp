// File and stdin reading for the commands that take whole inputs (test,
// query); gzip is handled by scan::ByteStream.
#include "cli/io.hpp"

#include "scan/input.hpp"

namespace cwlf::cli {

std::optional<std::string> ReadInput(const std::string& path, std::string* error) {
  // The scanner's stream: gzip (several members too) is detected by content.
  scan::ByteStream stream;
  if (!stream.Open(path)) {
    *error = "cannot open " + path + ": " + stream.error();
    return std::nullopt;
  }
  std::string data;
  while (stream.Read(&data)) {
  }
  if (!stream.error().empty()) {
    *error = path + ": " + stream.error();
    return std::nullopt;
  }
  return data;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    size_t stop = end;
    if (stop > start && text[stop - 1] == '\r') --stop;
    lines.emplace_back(text.substr(start, stop - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace cwlf::cli
