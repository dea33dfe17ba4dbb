// The progress line `cwlf scan` draws on stderr when stderr is a terminal:
// bytes read of the total, events/s and an ETA, redrawn at most ten times a
// second. Silent when disabled. Not a logger: other stderr output calls
// Clear() first so it does not land in the middle of the bar.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cwlf::scan {

class Progress {
 public:
  // total_bytes: the inputs' size on disk, 0 when unknown (stdin).
  Progress(bool enabled, uint64_t total_bytes);

  // Bytes read so far (on disk, before decompression) and events so far.
  void Update(uint64_t bytes_read, uint64_t events);
  // Erases the line if one is drawn.
  void Clear();
  // Erases the line for good.
  void Finish();

  bool enabled() const { return enabled_; }

  // The text of the line (without the leading "\r"), for tests.
  static std::string Render(uint64_t bytes_read, uint64_t total_bytes, uint64_t events, double seconds);

 private:
  bool enabled_;
  bool drawn_ = false;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// Whether stderr is a terminal.
bool StderrIsTerminal();

}  // namespace cwlf::scan
