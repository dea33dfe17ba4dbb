// libFuzzer target: RuleSet::Deserialize on damaged rule-set images. The input
// says how to damage a fixed, valid image (byte writes, a cut, and whether to
// fix up the checksum so that the loader's own checks are reached); a set that
// loads is then matched against a few events. Aborts only through a sanitizer
// or a crash: refusing an image is the expected answer. Not a test of matching.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cwlf/cwlf.hpp"

namespace {

const std::string& BaseImage() {
  static const std::string* image = [] {
    cwlf::RuleSet::Builder b;
    b.Add(1, R"({ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Failure" })")
        .Add(2, R"({ ($.eventName = "StopLogging") || ($.eventName = "DeleteTrail") })")
        .Add(3, R"({ $.errorCode = "*UnauthorizedOperation" && $.latency > 10 })")
        .Add(4, R"({ $.resources[*].ARN = "arn:aws:s3:::*" || $.x IS NULL })")
        .Add(5, "%[Ee]rror [0-9]+%")
        .Add(6, "[ip, user, ..., status = 4*]")
        .Add(7, "?ERROR ?WARN -DEBUG")
        .Add(8, R"(eventName = "PutObject" and bytes > 100)", {.dialect = cwlf::Dialect::kInsightsFilter})
        .Capture("eventTime");
    auto set = b.Build();
    if (!set) {
      std::fprintf(stderr, "fuzz_image: the base set does not build:\n%s", set.error().Render().c_str());
      std::abort();
    }
    return new std::string(set->Serialize());
  }();
  return *image;
}

constexpr size_t kHeader = 40;  // the payload checksum is its last 8 bytes

void Reseal(std::string& image) {
  if (image.size() < kHeader) return;
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = kHeader; i < image.size(); ++i) h = (h ^ static_cast<unsigned char>(image[i])) * 0x100000001b3ULL;
  for (size_t i = 0; i < 8; ++i) image[kHeader - 8 + i] = static_cast<char>((h >> (8 * i)) & 0xFF);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string image = BaseImage();
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  size_t i = 1;
  if ((mode & 2) && i + 2 <= size) {  // cut
    image.resize((data[i] | data[i + 1] << 8) % (image.size() + 1));
    i += 2;
  }
  for (; i + 3 <= size && !image.empty(); i += 3) {  // writes into the payload
    const size_t at = kHeader + (data[i] | data[i + 1] << 8) % (image.size() > kHeader ? image.size() - kHeader : 1);
    if (at < image.size()) image[at] = static_cast<char>(data[i + 2]);
  }
  if (mode & 1) Reseal(image);
  auto set = cwlf::RuleSet::Deserialize(image);
  if (!set) return 0;
  cwlf::RuleSetMatcher matcher(*set);
  std::vector<cwlf::RuleId> hits;
  for (const char* event :
       {R"({"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"eventTime":"t"})",
        R"({"errorCode":"Client.UnauthorizedOperation","latency":12,"resources":[{"ARN":"arn:aws:s3:::b"}]})",
        "Error 42 10.0.0.1 bob x 404", "WARN \u00e9\\u0041", R"({"eventName":"PutObject","bytes":1000})"}) {
    matcher.Match(event, hits);
    (void)matcher.Captured(0);
  }
  return 0;
}
