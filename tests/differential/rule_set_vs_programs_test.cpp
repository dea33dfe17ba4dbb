// A RuleSet must report exactly the rules whose own Programs match: checked
// on the corpus with the built-in pack's patterns plus generated ones, with
// equality dispatch and the raw-byte prefilter each on and off, on events
// rewritten to defeat a prefilter that reads raw bytes carelessly (\u and \/
// escapes, spaces around ':', repeated and nested keys, plain text), and
// against the reference evaluator.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <random>
#include <tuple>

#include "cwlf/cwlf.hpp"
#include "reference/reference_eval.hpp"
#include "support/corpus.hpp"

namespace cwlf {
namespace {

std::vector<std::string> Patterns() {
  std::vector<std::string> p = {
      R"({ $.eventName = "ConsoleLogin" })",
      R"({ ($.eventName = "PutObject") || ($.eventName = "GetObject") })",
      R"({ $.eventSource = "s3.amazonaws.com" && $.eventName = "PutObject" && $.errorCode NOT EXISTS })",
      R"({ $.eventName = "PutObject" && $.requestParameters.bucketName = "*ransom*" })",
      R"({ $.eventName != "PutObject" && $.eventSource = "kms.amazonaws.com" })",
      R"({ $.errorCode = "AccessDenied*" })",
      R"({ $.userIdentity.type = "Root" })",
      R"({ $.resources[*].type = "AWS::S3::Object" })",
      R"({ $.eventName = 1* })",
      "AccessDenied",
      "?Decrypt ?GenerateDataKey",
      "%arn:aws:iam::[0-9]+:root%",
      "[a, ..., b]",
      // Literals the prefilter must handle with care.
      R"({ $.eventSource = "s3.amazonaws.com/x" || $.eventName = "Put/Object" })",
      R"({ $.eventName = "*Object" })",
      R"({ $.eventName = "*ccessKe*" })",
      R"({ $.eventVersion = "1.08" })",
      R"({ $.readOnly = "true" || $.eventVersion = 1.08 })",
      R"({ $.requestParameters.bucketName = "*" && $.eventName = "GetObject" })",
      R"("\"eventName\":\"GetObject\"")",
      R"(-"eventName" PutObject)",
      R"([w1 = "*PutObject*", ...])",
      R"({ $.userIdentity.type = "IAMUser" && $.responseElements.ConsoleLogin = "Success" })",
      R"({ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" })",
      // Regexes: their RE2 atoms go to the prefilter (found caseless), or
      // they always run when an atom could hide behind an escape.
      R"({ $.eventName = %^GetObject$|^GetBucketAcl$% })",
      R"({ $.userAgent = %Boto3/[0-9.]+% })",
      R"({ $.sourceIPAddress = %^10\.% && $.eventName = %Describe% })",
      "%[Ee]rror|Denied%",
      R"({ $.errorCode = %AccessDenied% || $.eventName = "ConsoleLogin" })",
  };
  const char* names[] = {"PutObject", "GetBucketAcl", "GenerateDataKey", "GetObject", "Decrypt", "HeadBucket",
                         "AssumeRole", "DescribeInstances", "ConsoleLogin", "CreateAccessKey", "StopLogging"};
  std::mt19937 rng(7);
  for (int i = 0; i < 120; ++i) {
    const char* a = names[rng() % std::size(names)];
    const char* b = names[rng() % std::size(names)];
    switch (rng() % 4) {
      case 0: p.push_back(fmt::format(R"({{ $.eventName = "{}" }})", a)); break;
      case 1: p.push_back(fmt::format(R"({{ $.eventName = "{}" || $.eventName = "{}" }})", a, b)); break;
      case 2: p.push_back(fmt::format(R"({{ $.eventName = "{}" && $.awsRegion = "us-west-1" }})", a)); break;
      default: p.push_back(fmt::format(R"({{ $.eventName = "{}*" }})", std::string(a).substr(0, 3))); break;
    }
  }
  return p;
}

// Rewrites of a corpus event that keep it meaning the same (or break it on
// purpose) but change its raw bytes where a prefilter looks.
std::vector<std::string> Variants(const std::string& event, std::mt19937& rng) {
  std::vector<std::string> out{event};
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string s = event;
    const size_t at = s.find(from);
    if (at == std::string::npos) return std::string();
    s.replace(at, from.size(), to);
    return s;
  };
  // The first letter of eventName's value as a \u escape.
  const size_t at = event.find("\"eventName\":\"");
  if (at != std::string::npos && at + 13 < event.size()) {
    std::string s = event;
    s.replace(at + 13, 1, fmt::format("\\u{:04X}", static_cast<unsigned char>(event[at + 13])));
    out.push_back(std::move(s));
  }
  out.push_back(replaced("\"eventName\":", "\"eventName\" :\t "));
  out.push_back(replaced("\"eventName\":", "\"event\\u004eame\":"));
  out.push_back(replaced("amazonaws.com\"", "amazonaws.com\\/x\""));
  out.push_back(replaced("Object\"", "Obj\\u0065ct\""));
  out.push_back(replaced("\"GetObject\"", "\"GETOBJECT\""));  // atoms are found caseless
  out.push_back(replaced("Describe", "describe"));
  out.push_back(replaced("\"eventTime\":", "\"requestParameters\":{\"eventName\":\"ConsoleLogin\"},\"eventTime\":"));
  // A repeated key: the last one counts (R-J10).
  const char* names[] = {"PutObject", "ConsoleLogin", "GetObject", "Decrypt"};
  out.push_back(replaced("{", fmt::format("{{\"eventName\":\"{}\",", names[rng() % 4])));
  out.push_back(replaced("}", fmt::format(",\"eventName\":\"{}\"}}", names[rng() % 4])));
  // Not JSON any more, the literals still there.
  out.push_back(event.substr(0, event.size() / 2));
  out.push_back("PutObject AccessDenied " + event.substr(0, 80));
  std::erase(out, std::string());
  return out;
}

TEST(RuleSetDifferential, ReportsExactlyTheRulesWhoseProgramsMatch) {
  const std::vector<std::string> corpus = testing::LoadCorpus(5);
  if (corpus.empty()) GTEST_SKIP() << "shared/corpus is not there";
  std::vector<std::string> events;
  std::mt19937 rng(11);
  for (size_t e = 0; e < corpus.size(); ++e) {
    if (e % 4 == 0) {
      for (std::string& v : Variants(corpus[e], rng)) events.push_back(std::move(v));
    } else {
      events.push_back(corpus[e]);
    }
  }
  const std::vector<std::string> patterns = Patterns();
  std::vector<Program> programs;
  for (const std::string& p : patterns) programs.push_back(OrThrow(Program::Compile(p)));
  // Logs Insights filters go through the same RuleSet.
  for (const char* q : {R"(eventName = "ConsoleLogin" and errorMessage like /Failed/)",
                        R"(eventSource = "s3.amazonaws.com" and eventName in ["PutObject", "DeleteObject"])"})
    programs.push_back(OrThrow(Program::Compile(q, {.dialect = Dialect::kInsightsFilter})));
  std::vector<std::vector<RuleId>> expected(events.size());
  {
    std::vector<Matcher> singles;
    for (const Program& p : programs) singles.emplace_back(p);
    for (size_t e = 0; e < events.size(); ++e)
      for (size_t i = 0; i < singles.size(); ++i)
        if (singles[i].Match(events[e]).matched) expected[e].push_back(static_cast<RuleId>(1000 + i));
  }
  // The rules the prefilter alone rules out for most events: a set of only
  // those skips events for real.
  std::vector<bool> lean(programs.size());
  for (size_t i = 0; i < programs.size(); ++i) {
    RuleSetMatcher alone(OrThrow(RuleSet::Builder().Add(0, programs[i]).Build()));
    std::vector<RuleId> ignored;
    size_t skipped = 0;
    for (size_t e = 0; e < 400 && e < events.size(); ++e)
      skipped += alone.Match(events[e], ignored) == MatchStatus::kUnparsed;
    lean[i] = skipped > 300;
  }
  // via_image: the set goes through Serialize and Deserialize first.
  for (const auto [dispatch, prefilter, lean_only, via_image] :
       {std::tuple{true, true, false, false}, {true, false, false, false}, {false, true, false, false},
        {false, false, false, false}, {true, true, true, false}, {false, true, true, false},
        {true, true, false, true}, {true, true, true, true}}) {
    RuleSet::Builder builder;
    for (size_t i = 0; i < programs.size(); ++i)
      if (!lean_only || lean[i]) builder.Add(static_cast<RuleId>(1000 + i), programs[i]);
    RuleSet set = OrThrow(std::move(builder).Build({.equality_dispatch = dispatch, .prefilter = prefilter}));
    if (via_image) {
      const std::string bytes = set.Serialize();
      set = OrThrow(RuleSet::Deserialize(bytes));
      EXPECT_EQ(set.Serialize(), bytes);  // the same set gives the same bytes
    }
    if (dispatch) EXPECT_NE(set.DispatchSummary().find("$.eventName"), std::string::npos) << set.DispatchSummary();
    RuleSetMatcher matcher(set);
    std::vector<RuleId> hits;
    size_t total = 0, mismatches = 0, unparsed = 0;
    for (size_t e = 0; e < events.size(); ++e) {
      unparsed += matcher.Match(events[e], hits) == MatchStatus::kUnparsed;
      std::vector<RuleId> want = expected[e];
      if (lean_only) std::erase_if(want, [&](RuleId id) { return !lean[id - 1000]; });
      total += want.size();
      if (hits != want && ++mismatches < 5)
        ADD_FAILURE() << "event " << e << ": " << events[e].substr(0, 200) << "\n expected rules "
                      << fmt::format("{}", fmt::join(want, ",")) << "\n got "
                      << fmt::format("{}", fmt::join(hits, ","));
      if (e % 97 == 0 && !lean_only) {  // and the oracle, on a sample
        for (size_t i = 0; i < programs.size(); ++i)
          EXPECT_EQ(reference::Evaluate(programs[i], events[e]).matched,
                    std::find(hits.begin(), hits.end(), 1000 + i) != hits.end());
      }
    }
    std::printf("rule set (dispatch %s, prefilter %s%s): %zu rules x %zu events, %zu hits, %zu mismatches, "
                "%zu events unparsed; %s\n",
                dispatch ? "on" : "off", prefilter ? "on" : "off", via_image ? ", through an image" : "",
                set.size(), events.size(), total, mismatches, unparsed, set.DispatchSummary().c_str());
    EXPECT_EQ(mismatches, 0u);
    EXPECT_GT(total, events.size() / 2);
    if (lean_only) EXPECT_GT(unparsed, 500u);  // the skip path is exercised
  }
}

TEST(RuleSet, BuildReportsEveryBadRuleAndDuplicateIds) {
  RuleSet::Builder b;
  b.Add(1, "{ $.a = }").Add(2, "ERROR").Add(3, "ERR*").Add(2, "WARN");
  auto r = std::move(b).Build();
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().all().size(), 3u);
  EXPECT_EQ(r.error().all()[0].origin, "rule 1");
  EXPECT_EQ(r.error().all()[1].origin, "rule 3");
  EXPECT_NE(r.error().all()[2].message.find("duplicate rule id 2"), std::string::npos);
}

// semantics: R-S6. The prefilter reads raw bytes, the rules read decoded JSON.
TEST(RuleSetPrefilter, EscapesInRawBytesNeverHideAMatch) {
  RuleSet set = OrThrow(RuleSet::Builder()
                            .Add(1, R"({ $.eventName = "ABC" })")
                            .Add(2, R"({ $.eventName = "DEF" })")
                            .Add(3, R"({ $.path = "a/b" })")
                            .Add(4, R"({ $.note = "*quoted*" })")
                            .Add(5, "ERROR")
                            .Build());
  EXPECT_NE(set.DispatchSummary().find("prefilter: raw \"eventName\" values"), std::string::npos)
      << set.DispatchSummary();
  RuleSetMatcher m(set);
  std::vector<RuleId> hits;
  auto match = [&](std::string_view event) {
    std::string padded(event);
    padded.append(RuleSetMatcher::kReadPadding, '#');
    std::vector<RuleId> in_place;
    const MatchStatus a = m.MatchInPlace(std::string_view(padded).substr(0, event.size()), in_place);
    const MatchStatus b = m.Match(event, hits);
    EXPECT_EQ(a, b) << event;
    EXPECT_EQ(in_place, hits) << event;
    return b;
  };
  EXPECT_EQ(match(R"({"eventName":"ABC"})"), MatchStatus::kOk);
  EXPECT_EQ(hits, (std::vector<RuleId>{1}));
  match(R"({"eventName" : "ABC"})");
  EXPECT_EQ(hits, (std::vector<RuleId>{1}));
  match(R"({"eventName":"DEF"})");
  EXPECT_EQ(hits, (std::vector<RuleId>{2}));
  match(R"({"eventName":"ABC","eventName":"DEF"})");  // R-J10: the last one
  EXPECT_EQ(hits, (std::vector<RuleId>{2}));
  match(R"({"path":"a\/b"})");
  EXPECT_EQ(hits, (std::vector<RuleId>{3}));
  match(R"({"note":"a \"quoted\" word"})");
  EXPECT_EQ(hits, (std::vector<RuleId>{4}));
  match(R"({"note":"ERROR","eventName":"ABC"})");
  EXPECT_EQ(hits, (std::vector<RuleId>{1, 5}));
  // Rule 3's literal holds '/', which an escape can hide: it always runs.
  EXPECT_EQ(match(R"({"eventName":"XYZ","path":"c/d"})"), MatchStatus::kOk);
  EXPECT_EQ(match(R"(not JSON at all)"), MatchStatus::kNotJson);

  // Nothing any rule needs: not parsed, not even checked to be JSON.
  RuleSet lean = OrThrow(RuleSet::Builder().Add(1, R"({ $.eventName = "ABC" })").Add(2, "ERROR").Build());
  RuleSetMatcher lm(lean);
  EXPECT_EQ(lm.Match(R"({"eventName":"XYZ","path":"c/d"})", hits), MatchStatus::kUnparsed);
  EXPECT_TRUE(hits.empty());
  EXPECT_EQ(lm.Match("not JSON at all", hits), MatchStatus::kUnparsed);
  EXPECT_EQ(lm.Match("not JSON: ERROR", hits), MatchStatus::kNotJson);
  EXPECT_EQ(hits, (std::vector<RuleId>{2}));
  EXPECT_EQ(lm.Match(R"({"eventName":"ABC",)", hits), MatchStatus::kNotJson);
  EXPECT_TRUE(hits.empty());

  RuleSet plain = OrThrow(RuleSet::Builder().Add(1, R"({ $.eventName = "ABC" })").Build({.prefilter = false}));
  EXPECT_NE(plain.DispatchSummary().find("no prefilter"), std::string::npos);
  RuleSetMatcher pm(plain);
  EXPECT_EQ(pm.Match(R"({"eventName":"XYZ"})", hits), MatchStatus::kOk);
  EXPECT_EQ(pm.Match(R"(not JSON at all)", hits), MatchStatus::kNotJson);
}

// semantics: R-S6. Regexes reach the prefilter through RE2's FilteredRE2 atoms,
// lowercased by RE2 and found caseless; an atom an escape could hide, or a
// regex whose case folding goes beyond ASCII, keeps its rule always running.
TEST(RuleSetPrefilter, RegexAtomsRuleOutOnlyWhatCannotMatch) {
  RuleSet set = OrThrow(RuleSet::Builder()
                            .Add(1, "%[Ee]rror [0-9]+%")
                            .Add(2, R"({ $.errorCode = %^AccessDenied$|Unauthorized% })")
                            .Build());
  EXPECT_NE(set.DispatchSummary().find("for 2 of 2 rules"), std::string::npos) << set.DispatchSummary();
  RuleSetMatcher m(set);
  std::vector<RuleId> hits;
  EXPECT_EQ(m.Match("all is well", hits), MatchStatus::kUnparsed);
  EXPECT_EQ(m.Match(R"({"errorCode":"Throttling"})", hits), MatchStatus::kUnparsed);
  m.Match("ERROR 12 then Error 42", hits);  // "ERROR" holds the atom, caseless; "Error 42" matches
  EXPECT_EQ(hits, (std::vector<RuleId>{1}));
  m.Match(R"({"errorCode":"AccessDenied"})", hits);
  EXPECT_EQ(hits, (std::vector<RuleId>{2}));
  m.Match(R"({"errorCode":"AccessDenied"})", hits);  // behind an escape: parsed for every rule
  EXPECT_EQ(hits, (std::vector<RuleId>{2}));
  m.Match(R"({"errorCode":"Client.UnauthorizedOperation"})", hits);
  EXPECT_EQ(hits, (std::vector<RuleId>{2}));

  // An atom with '/' (an escape could hide it) gives no requirement; in an
  // Insights filter, (?i) folds case beyond ASCII (the Kelvin sign is a k).
  RuleSet wide = OrThrow(RuleSet::Builder()
                             .Add(1, R"({ $.userAgent = %Boto3/1% })")
                             .Add(2, R"(errorCode like /(?i)kms/)", {.dialect = Dialect::kInsightsFilter})
                             .Build());
  EXPECT_NE(wide.DispatchSummary().find("for 0 of 2 rules"), std::string::npos) << wide.DispatchSummary();
  RuleSetMatcher w(wide);
  w.Match(R"({"userAgent":"Boto3\/1.34","errorCode":"KMS"})", hits);
  EXPECT_EQ(hits, (std::vector<RuleId>{1, 2}));
}

TEST(RuleSet, CallbackCanStopEarly) {
  RuleSet set = OrThrow(RuleSet::Builder().Add(1, "a").Add(2, "b").Add(3, "c").Build());
  RuleSetMatcher m(set);
  std::vector<RuleId> seen;
  m.Match("a b c", [&seen](RuleId id) {
    seen.push_back(id);
    return id < 2;
  });
  EXPECT_EQ(seen, (std::vector<RuleId>{1, 2}));
}

}  // namespace
}  // namespace cwlf
