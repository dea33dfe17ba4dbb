// Loads CloudTrail events from shared/corpus (gzip JSON Lines) for tests:
// every `every`-th line, at most `limit` events, files in name order. Empty
// when the corpus is not beside the checkout.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace cwlf::testing {

inline std::vector<std::string> LoadCorpus(size_t every = 1, size_t limit = SIZE_MAX) {
  namespace fs = std::filesystem;
  std::vector<std::string> events;
  const fs::path dir = fs::path(CWLF_SHARED_DIR) / "corpus";
  if (!fs::exists(dir)) return events;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().string().ends_with(".jsonl.gz")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  size_t n = 0;
  for (const auto& file : files) {
    gzFile gz = gzopen(file.string().c_str(), "rb");
    if (!gz) continue;
    std::string line;
    char buf[1 << 16];
    while (gzgets(gz, buf, sizeof(buf))) {
      line += buf;
      if (line.empty() || line.back() != '\n') continue;
      line.pop_back();
      if (n++ % every == 0 && events.size() < limit) events.push_back(line);
      line.clear();
    }
    gzclose(gz);
  }
  return events;
}

}  // namespace cwlf::testing
