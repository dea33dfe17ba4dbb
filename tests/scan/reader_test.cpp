// Readers: every input shape `cwlf scan` accepts (CloudTrail delivery files,
// NDJSON, text, gzip with several members, subscription payloads,
// filter-log-events output), the malformed cases (bad lines, truncated and
// corrupt gzip), the S3 directory layout, and ISO-8601 times.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "scan/input.hpp"
#include "scan/reader.hpp"
#include "scan/time.hpp"

namespace cwlf::scan {
namespace {

namespace fs = std::filesystem;

struct ReadResult {
  std::vector<std::string> messages;
  std::vector<int64_t> times;
  std::vector<uint64_t> records;
  std::vector<uint64_t> lines;  // of deferred document records
  std::vector<Malformed> malformed;
  InputFormat format = InputFormat::kEmpty;
  size_t batches = 0;
};

Reader::Sink SinkInto(ReadResult* r) {
  Reader::Sink sink;
  sink.batch = [r](Batch&& b) {
    ++r->batches;
    for (const EventRef& e : b.events) {
      r->messages.emplace_back(b.Message(e));
      r->times.push_back(e.time_ms);
      r->records.push_back(e.record);
      if (e.deferred && e.in_document) r->lines.push_back(e.line);
    }
  };
  sink.malformed = [r](const Malformed& m) { r->malformed.push_back(m); };
  return sink;
}

ReadResult ReadText(std::string_view text) {
  ReadResult r;
  Reader reader(0, SinkInto(&r));
  r.format = reader.RunText(text);
  return r;
}

ReadResult ReadPath(const std::string& path) {
  ReadResult r;
  ByteStream stream;
  EXPECT_TRUE(stream.Open(path)) << stream.error();
  Reader reader(0, SinkInto(&r));
  r.format = reader.Run(stream);
  return r;
}

// One gzip member holding `data`.
std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A distinct NDJSON line, newline included.
std::string NdjsonLine(size_t i) {
  return "{\"eventTime\":\"2025-03-03T08:00:00Z\",\"eventName\":\"E" + std::to_string(i * 7919 % 100003) +
         "\",\"i\":" + std::to_string(i) + "}\n";
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cwlf_reader_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, std::string_view data) {
    const fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    return path.string();
  }
  fs::path dir_;
};

constexpr const char* kRecordA =
    R"({"eventVersion":"1.08","eventTime":"2025-03-03T08:15:02Z","eventName":"CreateUser","n":1.50,"s":"\u00e9\"x"})";
constexpr const char* kRecordB = R"({"eventTime":"2025-03-03T08:15:03.250Z","eventName":"ListUsers"})";

TEST(Time, ParsesAndFormats) {
  EXPECT_EQ(ParseIso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIso8601("2025-03-03T08:15:02Z"), 1740989702000);
  EXPECT_EQ(ParseIso8601("2025-03-03T08:15:02.5Z"), 1740989702500);
  EXPECT_EQ(ParseIso8601("2025-03-03T09:15:02+01:00"), 1740989702000);
  EXPECT_EQ(ParseIso8601("2025-03-03T07:15:02-0100"), 1740989702000);
  EXPECT_EQ(ParseIso8601("2025-03-03 08:15:02"), 1740989702000);
  EXPECT_EQ(ParseIso8601("2024-02-29T00:00:00Z"), 1709164800000);
  EXPECT_EQ(ParseIso8601("1969-12-31T23:59:59Z"), -1000);
  EXPECT_FALSE(ParseIso8601("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("2025-03-03"));
  EXPECT_FALSE(ParseIso8601("2025-03-03T08:15:02Zjunk"));
  EXPECT_FALSE(ParseIso8601("not a time"));
  EXPECT_EQ(FormatIso8601(1740989702000), "2025-03-03T08:15:02Z");
  EXPECT_EQ(FormatIso8601(1740989702250), "2025-03-03T08:15:02.250Z");
  EXPECT_EQ(FormatIso8601(-1000), "1969-12-31T23:59:59Z");
  for (int64_t t : {0LL, 951782400000LL, 4102444799999LL, -62135596800000LL})
    EXPECT_EQ(ParseIso8601(FormatIso8601(t)), t) << t;
}

// semantics: R-S1 (one event per record, compacted verbatim)
TEST(Reader, RecordsFileGivesCompactRecordsVerbatim) {
  const std::string file = std::string("{\"Records\": [\n  ") + kRecordA +
                           ",\n  {\n    \"eventTime\": \"2025-03-03T08:15:03.250Z\",\n" +
                           "    \"eventName\" : \"ListUsers\"\n  }\n]}\n";
  const ReadResult r = ReadText(file);
  EXPECT_EQ(r.format, InputFormat::kDocuments);
  EXPECT_TRUE(r.malformed.empty());
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0], kRecordA);  // numbers and escapes as written
  EXPECT_EQ(r.messages[1], kRecordB);
  EXPECT_EQ(r.times, (std::vector<int64_t>{1740989702000, 1740989703250}));
  EXPECT_EQ(r.records, (std::vector<uint64_t>{0, 1}));
}

TEST(Reader, RecordsFileWithABadRecordSkipsOnlyThatRecord) {
  const std::string file = std::string("{\"Records\":[") + kRecordA + ",{\"a\":tru},\n" + kRecordB + "]}";
  const ReadResult r = ReadText(file);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.records, (std::vector<uint64_t>{0, 2}));
  ASSERT_EQ(r.malformed.size(), 1u);
  EXPECT_EQ(r.malformed[0].line, 1u);
  EXPECT_NE(r.malformed[0].message.find("record 1: invalid JSON"), std::string::npos);
}

TEST(Reader, NdjsonLinesPassAsTheyAre) {
  const std::string text = std::string(kRecordA) + "\r\n\n" + "{\"broken\": \n" + kRecordB + "\n[1,2]\n";
  const ReadResult r = ReadText(text);
  EXPECT_EQ(r.format, InputFormat::kNdjson);
  // Lines are handed on unparsed (deferred): the scanner's workers check them
  // and read their times (scanner_test covers that), not the reading thread.
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[0], kRecordA);  // the CR is dropped
  EXPECT_EQ(r.messages[1], "{\"broken\": ");
  EXPECT_EQ(r.messages[2], kRecordB);
  EXPECT_EQ(r.messages[3], "[1,2]");
  EXPECT_EQ(r.records, (std::vector<uint64_t>{0, 2, 3, 4}));
  EXPECT_EQ(r.times[0], kNoTime);
  EXPECT_TRUE(r.malformed.empty());
}

TEST(Reader, PlainTextLinesAreEvents) {
  const ReadResult r = ReadText("ERROR one\n\nINFO {two}\n  \nlast without newline");
  EXPECT_EQ(r.format, InputFormat::kText);
  EXPECT_EQ(r.messages, (std::vector<std::string>{"ERROR one", "INFO {two}", "last without newline"}));
  EXPECT_EQ(r.records, (std::vector<uint64_t>{0, 2, 4}));
  EXPECT_TRUE(r.malformed.empty());
}

TEST(Reader, EmptyInput) {
  const ReadResult r = ReadText(" \n\n");
  EXPECT_EQ(r.format, InputFormat::kEmpty);
  EXPECT_TRUE(r.messages.empty());
}

TEST(Reader, Utf8BomIsSkipped) {
  EXPECT_EQ(ReadText("\xEF\xBB\xBF{\"Records\":[{\"a\":1}]}").messages, std::vector<std::string>{"{\"a\":1}"});
  const ReadResult r = ReadText("\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n");
  EXPECT_EQ(r.format, InputFormat::kNdjson);
  EXPECT_EQ(r.messages, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
}

TEST(Reader, PrettyPrintedRecordsAndArrays) {
  const ReadResult r = ReadText("{\n  \"eventName\": \"A\"\n}\n{\"eventName\":\"B\"}\n[ {\"eventName\": \"C\"}, 5 ]");
  EXPECT_EQ(r.format, InputFormat::kDocuments);
  EXPECT_EQ(r.messages,
            (std::vector<std::string>{R"({"eventName":"A"})", R"({"eventName":"B"})", R"({"eventName":"C"})", "5"}));
  EXPECT_TRUE(r.malformed.empty());
}

TEST(Reader, BadDocumentIsSkippedAndReadingResumes) {
  const ReadResult r = ReadText("{\n \"a\": 1 2\n}\n{\"eventName\":\"B\"}\n");
  ASSERT_EQ(r.malformed.size(), 1u);
  EXPECT_EQ(r.malformed[0].line, 1u);
  EXPECT_EQ(r.messages, std::vector<std::string>{R"({"eventName":"B"})"});
}

TEST(Reader, FilterLogEventsOutput) {
  const char* text = R"({
    "events": [
        {"logStreamName": "s", "timestamp": 1740989702000, "message": "{\"eventName\":\"A\"}",
         "ingestionTime": 1, "eventId": "1"},
        {"logStreamName": "s", "timestamp": 1740989703000, "message": "plain text", "ingestionTime": 1, "eventId": "2"}
    ],
    "searchedLogStreams": []
})";
  const ReadResult r = ReadText(text);
  EXPECT_EQ(r.messages, (std::vector<std::string>{R"({"eventName":"A"})", "plain text"}));
  EXPECT_EQ(r.times, (std::vector<int64_t>{1740989702000, 1740989703000}));
  EXPECT_EQ(r.records, (std::vector<uint64_t>{0, 1}));
}

TEST(Reader, EventsKeyWithoutMessagesIsARecord) {
  const ReadResult r = ReadText("{\"events\": [1, 2],\n \"eventName\": \"X\"}");
  EXPECT_EQ(r.messages, std::vector<std::string>{R"({"events":[1,2],"eventName":"X"})"});
}

TEST_F(TempDir, GzipNdjsonAndSeveralMembers) {
  const std::string ndjson = std::string(kRecordA) + "\n" + kRecordB + "\n";
  const std::string path = Write("a.jsonl.gz", Gzip(ndjson) + Gzip(ndjson));
  ByteStream stream;
  ASSERT_TRUE(stream.Open(path));
  std::string all;
  while (stream.Read(&all)) {
  }
  EXPECT_TRUE(stream.is_gzip());
  EXPECT_TRUE(stream.error().empty());
  EXPECT_EQ(all, ndjson + ndjson);
  const ReadResult r = ReadPath(path);
  EXPECT_EQ(r.format, InputFormat::kNdjson);
  EXPECT_EQ(r.messages.size(), 4u);
  EXPECT_TRUE(r.malformed.empty());
}

// A delivery file read through simdjson's index: the same compact records;
// validation and eventTime are left to the scanner's workers (deferred).
TEST_F(TempDir, RecordsFileFastPathGivesTheSameRecords) {
  const std::string file = std::string("{\"Records\": [\n  ") + kRecordA +
                           ",\n  {\n    \"eventTime\": \"2025-03-03T08:15:03.250Z\",\n" +
                           "    \"eventName\" : \"ListUsers\"\n  }\n], \"other\": 1}\n";
  const ReadResult fast = ReadPath(Write("CloudTrail.json", file));
  const ReadResult careful = ReadText(file);
  EXPECT_EQ(fast.format, InputFormat::kDocuments);
  EXPECT_EQ(fast.messages, careful.messages);
  EXPECT_EQ(fast.records, careful.records);
  EXPECT_EQ(fast.lines, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(fast.times, (std::vector<int64_t>{kNoTime, kNoTime}));  // the workers read them
  // A bad record is passed on for the workers to report; a cut file, two
  // documents or another shape take the careful path.
  const ReadResult bad = ReadPath(Write("bad.json", std::string("{\"Records\":[") + kRecordA + ",{\"a\":tru}]}"));
  EXPECT_EQ(bad.messages.size(), 2u);
  EXPECT_TRUE(bad.malformed.empty());
  const ReadResult two = ReadPath(Write("two.json", file + file));
  EXPECT_EQ(two.messages.size(), 4u);
  EXPECT_TRUE(two.lines.empty());
  EXPECT_EQ(two.times.front(), 1740989702000);
}

TEST_F(TempDir, Utf8BomInAFile) {
  const ReadResult r = ReadPath(Write("bom.jsonl", "\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n"));
  EXPECT_EQ(r.format, InputFormat::kNdjson);
  EXPECT_EQ(r.messages, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_TRUE(r.malformed.empty());
  EXPECT_EQ(ReadPath(Write("tiny.txt", "x")).messages, std::vector<std::string>{"x"});
  EXPECT_EQ(ReadPath(Write("empty.json", "")).format, InputFormat::kEmpty);
}

TEST_F(TempDir, GzipTrailingZerosAreTolerated) {
  const ReadResult r = ReadPath(Write("z.json.gz", Gzip(std::string(kRecordB) + "\n") + std::string(512, '\0')));
  EXPECT_EQ(r.messages.size(), 1u);
  EXPECT_TRUE(r.malformed.empty());
}

TEST_F(TempDir, TruncatedGzipCountsAsMalformed) {
  std::string ndjson;
  for (size_t i = 0; i < 2000; ++i) ndjson += NdjsonLine(i);
  const std::string gz = Gzip(ndjson);
  const ReadResult r = ReadPath(Write("t.jsonl.gz", gz.substr(0, gz.size() / 2)));
  EXPECT_GT(r.messages.size(), 10u);
  EXPECT_LT(r.messages.size(), 2000u);
  ASSERT_EQ(r.malformed.size(), 1u);  // the truncation, not the partial last line too
  EXPECT_NE(r.malformed[0].message.find("truncated gzip data"), std::string::npos);
  for (size_t i = 0; i < r.messages.size(); ++i)
    ASSERT_EQ(r.messages[i], NdjsonLine(i).substr(0, NdjsonLine(i).size() - 1));
}

TEST_F(TempDir, TruncatedGzipRecordsFileKeepsCompleteRecords) {
  std::string file = "{\"Records\":[";
  for (size_t i = 0; i < 500; ++i) file += (i ? "," : "") + NdjsonLine(i).substr(0, NdjsonLine(i).size() - 1);
  file += "]}";
  const std::string gz = Gzip(file);
  const ReadResult r = ReadPath(Write("t.json.gz", gz.substr(0, gz.size() * 2 / 3)));
  EXPECT_GT(r.messages.size(), 10u);
  EXPECT_LT(r.messages.size(), 500u);
  ASSERT_EQ(r.malformed.size(), 1u);
  EXPECT_NE(r.malformed[0].message.find("truncated gzip data"), std::string::npos);
}

TEST_F(TempDir, CorruptGzipCountsAsMalformed) {
  std::string gz = Gzip(std::string(kRecordA) + "\n");
  for (size_t i = 12; i < gz.size() - 8; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  const ReadResult r = ReadPath(Write("c.jsonl.gz", gz));
  ASSERT_EQ(r.malformed.size(), 1u);
  EXPECT_NE(r.malformed[0].message.find("gzip data"), std::string::npos);
}

TEST_F(TempDir, SubscriptionPayloadsConcatenated) {
  auto payload = [](const std::string& type, std::vector<std::pair<int64_t, std::string>> events) {
    std::string out = "{\"messageType\":\"" + type +
                      "\",\"owner\":\"123456789012\",\"logGroup\":\"ct\",\"logStream\":\"s\","
                      "\"subscriptionFilters\":[\"f\"],\"logEvents\":[";
    for (size_t i = 0; i < events.size(); ++i) {
      out += (i ? "," : "") + std::string("{\"id\":\"") + std::to_string(i) +
             "\",\"timestamp\":" + std::to_string(events[i].first) + ",\"message\":\"" + events[i].second + "\"}";
    }
    return out + "]}";
  };
  const std::string data =
      Gzip(payload("DATA_MESSAGE", {{1000, R"({\"eventName\":\"A\"})"}, {2000, "text event"}})) +
      Gzip(payload("CONTROL_MESSAGE", {{3000, "CWL CONTROL MESSAGE: Checking health of destination Firehose."}})) +
      Gzip(payload("DATA_MESSAGE", {{4000, R"({\"eventName\":\"B\"})"}}));
  const ReadResult r = ReadPath(Write("firehose-1-2025-03-03-08-00-00-abc", data));
  EXPECT_EQ(r.format, InputFormat::kDocuments);
  EXPECT_EQ(r.messages, (std::vector<std::string>{R"({"eventName":"A"})", "text event", R"({"eventName":"B"})"}));
  EXPECT_EQ(r.times, (std::vector<int64_t>{1000, 2000, 4000}));
  EXPECT_EQ(r.records, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_TRUE(r.malformed.empty());
}

TEST_F(TempDir, S3LayoutIsWalkedInOrderWithoutDigests) {
  const std::string base = "AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/03/";
  const std::string records = std::string("{\"Records\":[") + kRecordA + "," + kRecordB + "]}";
  Write(base + "123456789012_CloudTrail_us-east-1_20250303T0805Z_b.json.gz", Gzip(records));
  Write(base + "123456789012_CloudTrail_us-east-1_20250303T0800Z_a.json.gz", Gzip(records));
  Write("AWSLogs/123456789012/CloudTrail/eu-west-1/2025/03/03/123456789012_CloudTrail_eu-west-1_x.json.gz",
        Gzip(records));
  Write("AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2025/03/03/"
        "123456789012_CloudTrail-Digest_us-east-1_x.json.gz",
        Gzip("{\"digestStartTime\":\"x\"}"));
  Write(base + "123456789012_CloudTrail-Digest_us-east-1_y.json.gz", Gzip("{}"));
  Write("README.md", "# not a log\n");
  Write(".hidden/z.json", "{}");
  const InputList list = ExpandInputs({dir_.string(), (dir_ / "README.md").string(), (dir_ / "missing").string()});
  std::vector<std::string> names;
  for (const InputFile& f : list.files) names.push_back(fs::path(f.path).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"123456789012_CloudTrail_eu-west-1_x.json.gz",
                                             "123456789012_CloudTrail_us-east-1_20250303T0800Z_a.json.gz",
                                             "123456789012_CloudTrail_us-east-1_20250303T0805Z_b.json.gz",
                                             "README.md"}));
  ASSERT_EQ(list.errors.size(), 1u);
  EXPECT_NE(list.errors[0].find("missing"), std::string::npos);
  EXPECT_GT(list.files[0].size, 0u);
  const ReadResult r = ReadPath(list.files[1].path);
  EXPECT_EQ(r.messages, (std::vector<std::string>{kRecordA, kRecordB}));
}

TEST(Input, ScannableNames) {
  for (const char* name : {"a.json", "a.jsonl", "a.ndjson", "a.log", "a.txt", "a.json.gz", "000000.gz", "firehose-x"})
    EXPECT_TRUE(IsScannableName(name)) << name;
  for (const char* name : {"README.md", "a.py", "a.csv", "a.tar"}) EXPECT_FALSE(IsScannableName(name)) << name;
}

TEST(Input, UnreadableFile) {
  ByteStream stream;
  EXPECT_FALSE(stream.Open("/nonexistent/file.json"));
  EXPECT_FALSE(stream.error().empty());
}

TEST(Reader, ManyEventsMakeSeveralBatchesInOrder) {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "{\"i\":" + std::to_string(i) + "}\n";
  const ReadResult r = ReadText(text);
  EXPECT_GE(r.batches, 3u);
  ASSERT_EQ(r.messages.size(), 3000u);
  for (uint64_t i = 0; i < 3000; ++i) ASSERT_EQ(r.records[i], i);
}

}  // namespace
}  // namespace cwlf::scan
