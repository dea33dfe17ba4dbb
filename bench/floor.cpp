// The floor of JSON work for bench/compare.py: reads an NDJSON file, parses
// each line with simdjson On-Demand and reads one field (eventName), counting
// the lines whose eventName equals argv[2]. Nothing else; not part of cwlf.
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: cwlf_floor FILE.ndjson EVENT_NAME\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string wanted = argv[2];
  simdjson::ondemand::parser parser;
  std::string line;
  simdjson::padded_string buffer;
  size_t count = 0, lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    simdjson::padded_string_view view(line.data(), line.size(), line.capacity());
    if (line.capacity() - line.size() < simdjson::SIMDJSON_PADDING) {
      line.reserve(line.size() + simdjson::SIMDJSON_PADDING);
      view = simdjson::padded_string_view(line.data(), line.size(), line.capacity());
    }
    simdjson::ondemand::document doc;
    if (parser.iterate(view).get(doc)) continue;
    std::string_view name;
    if (!doc["eventName"].get_string().get(name) && name == wanted) ++count;
  }
  std::printf("%zu %zu\n", count, lines);
  return 0;
}
