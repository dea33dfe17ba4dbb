// File and stdin reading with gzip detection (magic bytes 1f 8b).
#include "cli/io.hpp"

#include <zlib.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace cwlf::cli {

namespace {

std::optional<std::string> Gunzip(const std::string& data, std::string* error) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {
    *error = "cannot initialise zlib";
    return std::nullopt;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof(buffer);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      *error = "corrupt or truncated gzip data";
      return std::nullopt;
    }
    out.append(buffer, sizeof(buffer) - zs.avail_out);
    if (rc == Z_STREAM_END && zs.avail_in > 0) {  // concatenated gzip members
      inflateReset(&zs);
      rc = Z_OK;
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      *error = "truncated gzip data";
      return std::nullopt;
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace

std::optional<std::string> ReadInput(const std::string& path, std::string* error) {
  std::string data;
  if (path == "-") {
    data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *error = "cannot open " + path;
      return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    data = ss.str();
  }
  if (data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
      static_cast<unsigned char>(data[1]) == 0x8b) {
    return Gunzip(data, error);
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
