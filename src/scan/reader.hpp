// Event readers for `cwlf scan`: finds the log events in one decoded input and
// hands them on in batches, each event as CloudWatch Logs would hold it (one
// compact JSON record, or one line of text) with its time. Recognised by
// content, not by name:
//   * JSON documents, one after the other (whitespace between them optional):
//     CloudTrail delivery files {"Records":[...]}, CloudWatch Logs
//     subscription payloads {"messageType","logEvents":[{"timestamp",
//     "message"}]} (CONTROL_MESSAGE skipped), `aws logs filter-log-events`
//     output {"events":[{"timestamp","message"}]}, a top-level array of
//     records, or single records spread over several lines;
//   * NDJSON: the first line holds one complete record; each non-blank line
//     is an event and must be valid JSON;
//   * plain text: anything else; each non-blank line is an event.
// Malformed parts are reported and skipped. Not a matcher and not thread-safe:
// one Reader per input, on one thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scan/input.hpp"
#include "scan/time.hpp"

namespace cwlf::scan {

struct EventRef {
  uint32_t offset = 0;  // into Batch::text
  uint32_t length = 0;
  int64_t time_ms = kNoTime;  // eventTime, or the log event's timestamp
  uint64_t record = 0;        // 0-based: line number - 1 for line inputs,
                              // the index among the file's records otherwise
  // An NDJSON line or a delivery file's record handed on unparsed: the
  // scanner's workers check that it is JSON and read its eventTime, in
  // parallel, instead of the reading thread.
  bool deferred = false;
  bool in_document = false;  // a record of a document: `line` is where it starts
  uint64_t line = 0;         // 1-based line of the input where the event starts
};

// Consecutive events of one input, their bytes back to back, then
// kPadding spare bytes so that each event can be parsed in place.
struct Batch {
  static constexpr size_t kPadding = 64;
  uint32_t file = 0;  // the caller's index of the input
  std::string text;
  std::vector<EventRef> events;
  std::string_view Message(const EventRef& e) const { return {text.data() + e.offset, e.length}; }
};

// Batch buffers come back for reuse once the scanner is done with them, so
// that reading does not fault in fresh pages for every chunk (4% of a pack
// scan's CPU in perf). Thread-safe; holds a few buffers at most.
void RecycleBuffer(std::string&& buffer);
std::string TakeBuffer(size_t capacity);

// A skipped part of an input: a bad line, record or document, or the input
// itself ending early (truncated gzip, read error).
struct Malformed {
  uint64_t line = 0;  // 1-based, 0 when unknown
  std::string message;
};

enum class InputFormat { kEmpty, kNdjson, kText, kDocuments };

class Reader {
 public:
  struct Sink {
    std::function<void(Batch&&)> batch;
    std::function<void(const Malformed&)> malformed;
    std::function<void(uint64_t raw_bytes_read)> progress;  // may be empty
  };

  Reader(uint32_t file, Sink sink) : file_(file), sink_(std::move(sink)) { batch_.file = file; }

  // Reads an opened stream to its end; returns the format it found.
  InputFormat Run(ByteStream& stream);

  // The same over decoded text already in memory (for tests).
  InputFormat RunText(std::string_view text);

  uint64_t events() const { return events_; }

 private:
  void ProcessLine(std::string_view line, uint64_t line_number, bool json);
  // The line text[begin, end) as an event of the batch FlushInPlace makes of
  // `text` itself (no copy).
  void AddLineInPlace(const std::string& text, size_t begin, size_t end, uint64_t line_number, bool json);
  void FlushInPlace(std::string&& text);
  // Processes JSON documents in text[pos...]. `cut_short` tells that the
  // input ended early, so a bad last document is not reported again.
  void ProcessDocuments(std::string_view text, size_t pos, bool cut_short);
  // One document at text[pos] ('{' or '['): returns the position after it,
  // or npos with *failure set (the caller decides whether to report it).
  size_t ProcessObject(std::string_view text, size_t pos, std::string* failure);
  size_t ProcessArray(std::string_view text, size_t pos, std::string* failure);
  // A record given as raw JSON text: validated, then added compacted.
  void AddRawRecord(std::string_view text, size_t pos, std::string_view raw);
  // Adds `raw` compacted (simdjson::minify) as `event`; false when it cannot be.
  bool AddCompacted(std::string_view raw, EventRef event);
  // A CloudTrail delivery file, {"Records": [...]} and nothing else, read
  // through simdjson's index; records are compacted here and validated by
  // the workers. False, having added nothing, for anything else.
  bool TryRecordsFile(std::string& text);
  // The events of a logEvents / events document at text[pos, end); false
  // when its list does not hold {"message": string} objects.
  bool AddLogEvents(std::string_view text, size_t pos, size_t end, const char* key);
  void AddEvent(std::string_view message, int64_t time_ms, uint64_t record);
  void Report(std::string_view text, size_t pos, std::string message);
  void Flush();

  uint32_t file_;
  Sink sink_;
  Batch batch_;
  std::vector<EventRef> pending_;  // AddLineInPlace events, not yet flushed
  simdjson::dom::parser parser_;
  simdjson::ondemand::parser document_parser_;
  uint64_t record_ = 0;  // next record index in document inputs
  uint64_t events_ = 0;
};

// The event time of a parsed record: its top-level "eventTime" (ISO-8601).
int64_t EventTimeOf(simdjson::dom::element record);

}  // namespace cwlf::scan
