// The benchmarks' events: every CloudTrail record of shared/corpus, loaded
// once. Empty when the corpus is not beside the checkout.
#pragma once

#include <zlib.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cwlf::bench {

inline const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> events = [] {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    const fs::path dir = fs::path(CWLF_SHARED_DIR) / "corpus";
    if (!fs::exists(dir)) return out;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().string().ends_with(".jsonl.gz")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      gzFile gz = gzopen(file.string().c_str(), "rb");
      std::string line;
      char buf[1 << 16];
      while (gzgets(gz, buf, sizeof(buf))) {
        line += buf;
        if (line.back() != '\n') continue;
        line.pop_back();
        out.push_back(std::move(line));
        line.clear();
      }
      gzclose(gz);
    }
    return out;
  }();
  return events;
}

}  // namespace cwlf::bench
