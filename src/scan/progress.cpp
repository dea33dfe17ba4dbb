// Progress line rendering and throttling; writes only to stderr, only when
// enabled. Not used for anything but the human watching a terminal.
#include "scan/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace cwlf::scan {

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(bool enabled, uint64_t total_bytes)
    : enabled_(enabled), total_(total_bytes), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

std::string Progress::Render(uint64_t bytes_read, uint64_t total_bytes, uint64_t events, double seconds) {
  constexpr int kWidth = 24;
  std::string line;
  const double mb = bytes_read / 1e6;
  const double rate = seconds > 0 ? events / seconds : 0;
  if (total_bytes > 0) {
    const double fraction = std::min(1.0, static_cast<double>(bytes_read) / static_cast<double>(total_bytes));
    const int filled = static_cast<int>(fraction * kWidth);
    line = fmt::format("[{}{}] {:3.0f}% {:.1f}/{:.1f} MB", std::string(filled, '#'), std::string(kWidth - filled, '.'),
                       fraction * 100, mb, total_bytes / 1e6);
    line += fmt::format("  {:.0f} events/s", rate);
    if (fraction > 0 && seconds > 0.5) {
      const double eta = seconds * (1 - fraction) / fraction;
      const int64_t s = static_cast<int64_t>(eta + 0.5);
      line += fmt::format("  ETA {}:{:02}", s / 60, s % 60);
    }
  } else {
    line = fmt::format("{:.1f} MB  {} events  {:.0f} events/s", mb, events, rate);
  }
  return line;
}

void Progress::Update(uint64_t bytes_read, uint64_t events) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const std::string line = Render(bytes_read, total_, events, seconds);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void Progress::Finish() {
  Clear();
  enabled_ = false;
}

}  // namespace cwlf::scan
