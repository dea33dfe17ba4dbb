// Inputs of `cwlf scan`: turns the PATH arguments into a sorted file list
// (directories walked recursively, S3 CloudTrail layout included, digest files
// skipped) and reads one file or stdin as a stream of decoded bytes, inflating
// gzip (several members allowed) on the fly. Not a format detector: that is
// reader.hpp.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cwlf::scan {

struct InputFile {
  std::string path;   // "-" is stdin
  uint64_t size = 0;  // bytes on disk, 0 when unknown (stdin)
};

struct InputList {
  std::vector<InputFile> files;
  std::vector<std::string> errors;  // "PATH: reason" for paths that cannot be listed
};

// Files named on the command line are always read. Inside a directory a file
// is read when its name ends in .json, .jsonl, .ndjson, .log, .txt or .gz, or
// has no extension (Firehose objects); hidden entries and CloudTrail-Digest
// files and folders are skipped. Each directory's files come in sorted order.
InputList ExpandInputs(const std::vector<std::string>& paths);

// Whether a file found while walking a directory is read (see above).
bool IsScannableName(std::string_view filename);

// One input as decoded bytes. Gzip is recognised by its magic bytes (1f 8b),
// not by the name; concatenated members are read one after the other.
class ByteStream {
 public:
  ByteStream() = default;
  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Opens a file or "-" (stdin). False with error() set when it cannot.
  bool Open(const std::string& path);

  // Appends up to about 1 MiB of decoded bytes to *out. Returns false at the
  // end of the input or after an error; check error() then.
  bool Read(std::string* out);

  // Empty, or why the input ended early ("truncated gzip data", ...).
  const std::string& error() const { return error_; }
  bool truncated() const { return truncated_; }
  bool is_gzip() const { return gzip_; }
  uint64_t raw_bytes_read() const { return raw_bytes_; }

 private:
  bool Refill();
  bool ReadGzip(std::string* out);
  // A small gzip file (CloudTrail delivers many): read whole and inflated at
  // once with libdeflate. False (zlib streams it instead) when it is large,
  // damaged or cut, so memory stays bounded and errors read the same.
  bool InflateWhole();

  FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool gzip_ = false;
  bool done_ = false;
  bool raw_eof_ = false;
  bool zlib_ready_ = false;
  bool between_members_ = false;
  bool truncated_ = false;
  z_stream zs_{};
  std::unique_ptr<unsigned char[]> in_;  // kChunk bytes
  std::string whole_;        // InflateWhole's output, handed out by Read
  size_t whole_pos_ = 0;
  bool whole_ready_ = false;
  uint64_t raw_bytes_ = 0;
  std::string error_;
};

}  // namespace cwlf::scan
