// The benchmarks' events: every CloudTrail record of shared/corpus, loaded
// once (through the tests' loader). Empty when the corpus is not there.
#pragma once

#include <string>
#include <vector>

#include "tests/support/corpus.hpp"

namespace cwlf::bench {

inline const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> events = cwlf::testing::LoadCorpus();
  return events;
}

}  // namespace cwlf::bench
