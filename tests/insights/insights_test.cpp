// Logs Insights: parsing and diagnostics, lints, functions, commands, and
// the agreement of compiled filters (VM) with the interpreter.
#include <gtest/gtest.h>

#include "cwlf/cwlf.hpp"

namespace cwlf {
namespace {

std::vector<std::string> Column(const QueryResult& r, const std::string& field) {
  std::vector<std::string> out;
  for (const ResultRow& row : r.rows)
    for (const auto& [f, v] : row)
      if (f == field) out.push_back(v);
  return out;
}

QueryResult RunOn(const std::string& query, const std::vector<std::string>& messages) {
  std::vector<LogEvent> events;
  for (const auto& m : messages) events.push_back({m});
  return OrThrow(Query::Compile(query)).Run(events);
}

// semantics: R-I12 (errors), R-I14 (unsupported commands and functions)
TEST(InsightsParse, ErrorsHavePositions) {
  struct Case {
    const char* query;
    uint32_t column;
    const char* message_part;
  };
  const Case cases[] = {
      {"filter eventName = \"ConsoleLogin\")", 34, "unbalanced ')'"},
      {"filter (a = 1", 14, "')' to close the '('"},
      {"fields a | unnest b into c", 12, "'unnest' command is not supported"},
      {"filter nosuchfn(a)", 8, "unknown or unsupported function"},
      {"filter a = \xE2\x80\x9CNo\"", 12, "typographic quote"},
      {"stats a by b", 7, "aggregate function"},
      {"dedup a | sort a", 11, "only 'limit' may follow 'dedup'"},
      {"frobnicate a", 1, "unknown command"},
      {"parse @message \"* *\" as a", 16, "2 '*' but 1 names"},
      {"filter a like /(unclosed/", 15, "cannot compile"},
      {"", 1, "empty"},
  };
  for (const Case& c : cases) {
    auto q = Query::Compile(c.query);
    ASSERT_FALSE(q.has_value()) << c.query;
    const Diagnostic& d = q.error().primary();
    EXPECT_EQ(d.location.column, c.column) << c.query << "\n" << q.error().Render();
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << c.query << "\n" << d.message;
  }
}

// semantics: R-I12 (lints)
TEST(InsightsLint, WarnsAboutMistakesThatParse) {
  auto q = OrThrow(Query::Compile(
      "filter errorCode = \"*UnauthorizedOperation\" or eventSource = s3.amazonaws.com "
      "or principal != \"*@example*\""));
  ASSERT_EQ(q.warnings().size(), 3u);
  EXPECT_NE(q.warnings()[0].message.find("like /UnauthorizedOperation$/"), std::string::npos);
  EXPECT_NE(q.warnings()[1].message.find("read as a field name"), std::string::npos);
  EXPECT_NE(q.warnings()[2].message.find("not like \"@example\""), std::string::npos);
}

// semantics: R-I1 (precedence: 1 + 2 * 3, -2 ^ 2), R-I8 (numbers print shortest)
TEST(InsightsEval, Functions) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ltrim(\"xyZxyfooxyZ\",\"xyZ\")", "fooxyZ"}, {"rtrim(\"xyZfooxyxyZ\",\"xyZ\")", "xyZfoo"},
      {"trim(\"xyZfooxyZ\",\"xyZ\")", "foo"},       {"substr(\"xyZfooxyZ\",3, 3)", "foo"},
      {"replace(\"foo\",\"o\",\"0\")", "f00"},      {"2 ^ 3", "8"},
      {"10 % 3", "1"},                              {"hexToAscii(\"48656c6c6f\")", "Hello"},
      {"hexToDec(\"0xff\")", "255"},                {"decToHex(255)", "0xff"},
      {"strlen(\"caf\xC3\xA9\")", "4"},             {"concat(\"a\", 1, \"b\")", "a1b"},
      {"isValidIpV4(\"10.1.2.3\")", "1"},           {"isIpv4InSubnet(\"192.0.2.7\", \"192.0.2.0/24\")", "1"},
      {"isIpv4InSubnet(\"192.0.3.17\", \"192.0.2.0/24\")", "0"}, {"1 + 2 * 3", "7"},
      {"-2 ^ 2", "-4"},                             {"coalesce(nothing, \"x\")", "x"},
      {"strcontains(\"Hello\", \"ell\")", "1"},     {"toupper(\"ab\")", "AB"},
  };
  for (const auto& [expr, want] : cases) {
    const QueryResult r = RunOn("fields " + expr + " as r", {"(any event)"});
    EXPECT_EQ(Column(r, "r"), std::vector<std::string>{want}) << expr;
  }
}

// semantics: R-I9
TEST(InsightsEval, ParseGlobAndRegex) {
  const std::string line = "25 May 2019 10:24:39,474 [ERROR] {foo=2, bar=data} The error was: DataIntegrityException";
  for (const char* q : {"parse @message \"[*] * The error was: *\" as level, config, exception",
                        "parse @message /\\[(?<level>\\S+)\\]\\s+(?<config>\\{.*\\})\\s+The error was: (?<exception>\\S+)/"}) {
    const QueryResult r = RunOn(q, {line, "no match here"});
    ASSERT_EQ(r.rows.size(), 2u) << q;  // parse keeps rows it does not match
    EXPECT_EQ(Column(r, "level"), std::vector<std::string>{"ERROR"});
    EXPECT_EQ(Column(r, "config"), std::vector<std::string>{"{foo=2, bar=data}"});
    EXPECT_EQ(Column(r, "exception"), std::vector<std::string>{"DataIntegrityException"});
  }
}

// semantics: R-I10
TEST(InsightsEval, NaturalSortOrderOfTheDocumentation) {
  const std::vector<std::string> documented = {"!:", "#",   "*%04", "0#", "5A", "111A", "2345_", "@", "@_",
                                               "A",  "A9876fghj", "a12345hfh", "0", "01", "1", "2", "3"};
  std::vector<std::string> events;
  for (auto it = documented.rbegin(); it != documented.rend(); ++it) events.push_back("{\"v\":\"" + *it + "\"}");
  EXPECT_EQ(Column(RunOn("fields v | sort v asc", events), "v"), documented);
  std::vector<std::string> reversed(documented.rbegin(), documented.rend());
  EXPECT_EQ(Column(RunOn("fields v | sort v desc", events), "v"), reversed);
}

// semantics: R-I11
TEST(InsightsEval, StatsDedupLimit) {
  std::vector<std::string> events;
  for (int i = 0; i < 10; ++i)
    events.push_back("{\"eventName\":\"" + std::string(i % 3 ? "A" : "B") + "\",\"n\":" + std::to_string(i) +
                     ",\"eventTime\":\"2024-01-01T00:0" + std::to_string(i) + ":00Z\"}");
  const QueryResult s = RunOn("stats count(*) as c, sum(n), max(n) by eventName | sort c desc", events);
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(Column(s, "eventName"), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(Column(s, "c"), (std::vector<std::string>{"6", "4"}));
  EXPECT_EQ(Column(s, "sum(n)"), (std::vector<std::string>{"27", "18"}));
  EXPECT_EQ(Column(s, "max(n)"), (std::vector<std::string>{"8", "9"}));
  const QueryResult bins = RunOn("stats count(*) by bin(5m)", events);
  EXPECT_EQ(Column(bins, "bin(5m)"), (std::vector<std::string>{"2024-01-01 00:00:00.000", "2024-01-01 00:05:00.000"}));
  EXPECT_EQ(Column(bins, "count(*)"), (std::vector<std::string>{"5", "5"}));
  const QueryResult d = RunOn("fields eventName | dedup eventName | limit 1", events);
  EXPECT_EQ(Column(d, "eventName"), std::vector<std::string>{"B"});
  EXPECT_EQ(d.records_matched, 10u);
}

// semantics: R-I8
TEST(InsightsEval, AbsentFieldsAreLeftOutOfRows) {
  const QueryResult r = RunOn("fields a, b", {"{\"a\":1}"});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0], (ResultRow{{"a", "1"}, {"@ptr", "cwlf:0"}}));
}

// Every filter that lowers to IR must give the interpreter's answer.
// semantics: R-I2 (arr.0, obj.k.1), R-I3 (ispresent), R-I4 (flag = 1, code in [...]),
// R-I5 (missing != / not like), R-I6 (n <= "5", s < "m"), R-I7 (like, =~)
TEST(InsightsFilter, VmAgreesWithInterpreter) {
  const std::vector<std::string> filters = {
      "eventName = \"ConsoleLogin\"", "eventName != \"ConsoleLogin\"", "n > 3", "n <= \"5\"", "s < \"m\"",
      "flag = 1", "flag = 0", "not ispresent(missing)", "ispresent(nul)", "s like \"ell\"", "s not like \"ell\"",
      "s like /^h/", "s =~ /L/", "code in [300, 400, \"500\"]", "code not in [400]", "arr.0 = \"x\"",
      "obj.k.1 = 2", "(n > 1 and s like \"o\") or not (flag = 1)", "@message like \"zzz\"", "@message like /^\\{/",
      "missing != \"x\"", "missing not like \"x\"", "nul = \"null\"", "obj = 1"};
  const std::vector<std::string> events = {
      R"({"eventName":"ConsoleLogin","n":5,"s":"hello","flag":true,"code":"400","arr":["x"],"obj":{"k":[1,2]},"nul":null})",
      R"({"eventName":"Other","n":"2","s":"World","flag":false,"code":500,"arr":[],"obj":{"k":{"1":2}}})",
      R"({"n":3.5,"s":"m","code":300})", "not json zzz", R"([1,2])", R"({"s":""})"};
  for (const std::string& f : filters) {
    auto program = Program::Compile(f, {.dialect = Dialect::kInsightsFilter});
    ASSERT_TRUE(program.has_value()) << f << "\n" << program.error().Render();
    Matcher vm(*program);
    const Query interpreted = OrThrow(Query::Compile("fields x as y | filter if(1, " + f + ", 0)"));
    for (const std::string& e : events) {
      EXPECT_EQ(vm.Match(e).matched, interpreted.Selects({e})) << f << " on " << e;
    }
  }
}

TEST(InsightsEval, PrecedenceOfBooleanOperators) {
  // semantics: R-I1: not > and > or; comparisons bind tighter than all three.
  const std::vector<std::string> events = {R"({"a":1,"b":2,"c":3})"};
  EXPECT_EQ(RunOn("filter a = 1 or b = 9 and c = 9", events).rows.size(), 1u);    // a=1 or (b=9 and c=9)
  EXPECT_EQ(RunOn("filter (a = 1 or b = 9) and c = 9", events).rows.size(), 0u);
  EXPECT_EQ(RunOn("filter not a = 2 and b = 2", events).rows.size(), 1u);          // (not a=2) and b=2
  EXPECT_EQ(RunOn("filter not (a = 1 and b = 2)", events).rows.size(), 0u);
  EXPECT_EQ(RunOn("fields 2 + 3 * 4 ^ 2 as r | filter r = 50", events).rows.size(), 1u);
}

TEST(InsightsFilter, ComputedFieldsKeepTheInterpreter) {
  auto q = OrThrow(Query::Compile("fields strlen(eventName) as n | filter n > 5 | filter eventName = \"X\""));
  const std::string ir = q.Explain(Stage::kIr);
  EXPECT_NE(ir.find("(interpreted: reads the computed field n)"), std::string::npos) << ir;
  EXPECT_NE(ir.find("value-eq $.eventName? \"X\""), std::string::npos) << ir;
}

TEST(InsightsFilter, ExplainOfALaterStageShowsItsOwnText) {
  // A filter stage's spans count from the stage, not from the query (they
  // once ran past the stage's text and Explain threw).
  auto q = OrThrow(Query::Compile(R"(fields f1, f2, f3 | filter f1 like "Exception")"));
  const std::string listing = q.Explain(Stage::kBytecode);
  EXPECT_NE(listing.find(R"(1:1-1:20  f1 like "Exception")"), std::string::npos) << listing;
}

}  // namespace
}  // namespace cwlf
