// Little-endian binary writing and bounds-checked reading, for the rule-set
// image (src/rule_set/serialize.cpp) and the compiled-pack container
// (src/scan/compiled_pack.cpp). Reading never trusts the input: the first
// failure sticks, later reads return zeros, and counts are checked against
// the bytes left before anything is allocated. Not a serialization format.
#pragma once

#include <fmt/format.h>

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cwlf::util {

class ByteWriter {
 public:
  template <typename T>
  void Int(T v) {
    static_assert(std::is_integral_v<T>);
    for (size_t i = 0; i < sizeof(T); ++i) out_.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF));
  }
  void Double(double v) { Int(std::bit_cast<uint64_t>(v)); }
  void Str(std::string_view s) {
    Int(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void List(const std::vector<uint32_t>& v) {
    Int(static_cast<uint32_t>(v.size()));
    for (const uint32_t x : v) Int(x);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  template <typename T>
  T Int() {
    static_assert(std::is_integral_v<T>);
    if (!Need(sizeof(T))) return T{};
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }
  double Double() { return std::bit_cast<double>(Int<uint64_t>()); }
  std::string Str() { return std::string(StrView()); }
  std::string_view StrView() {
    const uint32_t n = Int<uint32_t>();
    if (!Need(n)) return {};
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A count of items each at least `min_bytes` long: more than the bytes
  // left is a damaged input (and no huge allocation follows).
  uint32_t Count(size_t min_bytes) {
    const uint32_t n = Int<uint32_t>();
    if (ok() && static_cast<uint64_t>(n) * min_bytes > in_.size() - pos_) Fail("a count exceeds the input");
    return ok() ? n : 0;
  }
  std::vector<uint32_t> List() {
    std::vector<uint32_t> v(Count(4));
    for (uint32_t& x : v) x = Int<uint32_t>();
    return v;
  }
  void Fail(std::string why) {
    if (error_.empty()) error_ = fmt::format("{} (at byte {})", why, pos_);
    pos_ = in_.size();
  }
  bool ok() const { return error_.empty(); }
  bool done() const { return pos_ == in_.size(); }
  const std::string& error() const { return error_; }

 private:
  bool Need(size_t n) {
    if (!ok()) return false;
    if (n > in_.size() - pos_) {
      Fail("the input ends early");
      return false;
    }
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

// FNV-1a, 64 bits: the checksums of images and containers.
inline uint64_t Fnv1a(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ULL) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace cwlf::util
