// Event time for `cwlf scan`: ISO-8601 timestamps (CloudTrail eventTime) to
// epoch milliseconds and back, UTC only. Not a general date library: no
// calendars, no local time, years 0000-9999.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cwlf::scan {

// Marks an event whose time is unknown.
inline constexpr int64_t kNoTime = INT64_MIN;

// "2025-03-03T08:15:02Z", with optional fraction (".123") and an optional
// zone (Z, +HH:MM, +HHMM; none means UTC); 'T' may be a space.
std::optional<int64_t> ParseIso8601(std::string_view text);

// "2025-03-03T08:15:02Z", or "...02.123Z" when the milliseconds are not zero.
std::string FormatIso8601(int64_t epoch_ms);

}  // namespace cwlf::scan
