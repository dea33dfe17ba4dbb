// One rule, two dialects, one answer: for every rule of the built-in pack
// that has both forms, the metric filter (filterPattern) and the Logs
// Insights query (insightsQuery) must select the same events of
// shared/corpus; and so must the seed post's CIS 3.1-3.14 queries, with their
// mistakes corrected, against the CIS filter patterns they stand for.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include "cwlf/cwlf.hpp"
#include "pack/pack.hpp"
#include "support/corpus.hpp"

namespace cwlf {
namespace {

struct Tally {
  size_t selected = 0;
  std::vector<std::string> disagreements;
};

Tally Compare(const Program& pattern, const Query& query, const std::vector<std::string>& events) {
  Tally t;
  Matcher matcher(pattern);
  QuerySelector selector(query);
  for (const std::string& e : events) {
    const bool a = matcher.Match(e).matched;
    const bool b = selector.Selects({e});
    t.selected += a;
    if (a != b && t.disagreements.size() < 5)
      t.disagreements.push_back(fmt::format("filter {} / query {}: {}", a, b, e.substr(0, 200)));
  }
  return t;
}

TEST(CisAgreement, EveryPackRuleAgreesAcrossDialectsOnTheCorpus) {
  const std::vector<std::string> events = testing::LoadCorpus();
  if (events.empty()) GTEST_SKIP() << "shared/corpus is not there";
  auto pack = pack::LoadPackFile("builtin");
  ASSERT_TRUE(pack.has_value());
  size_t compared = 0;
  for (const pack::Rule& rule : pack->rules) {
    if (!rule.has_filter_pattern || !rule.has_insights_query) continue;
    auto query = Query::Compile(rule.insights_query);
    ASSERT_TRUE(query.has_value()) << rule.id << "\n" << query.error().Render();
    ASSERT_TRUE(rule.program.has_value()) << rule.id;
    const Tally t = Compare(*rule.program, *query, events);
    for (const auto& d : t.disagreements) ADD_FAILURE() << rule.id << ": " << d;
    std::printf("%-40s %6zu events in both dialects\n", rule.id.c_str(), t.selected);
    ++compared;
  }
  EXPECT_GE(compared, 30u);
}

// The seed post's queries (001_60f521beccc330fd.txt) corrected: `=` with '*'
// becomes like with a regex, the unbalanced ')' goes, s3.amazonaws.com is
// quoted, and each query means what its CIS filter pattern means (the seed's
// broader `like /^Delete/` IAM query and its site-specific principal filter
// are narrowed to the CIS lists).
struct SeedQuery {
  const char* cis;
  const char* pattern;
  const char* query;
};

constexpr const char* kFields =
    "fields @timestamp, awsRegion, sourceIPAddress, userAgent, "
    "userIdentity.sessionContext.sessionIssuer.userName as userName\n| ";

const SeedQuery kSeedQueries[] = {
    {"3.1", R"({ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") })",
     "filter errorCode like /UnauthorizedOperation$/\nor errorCode like /^AccessDenied/"},
    {"3.2", R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") })",
     "filter eventName = \"ConsoleLogin\"\nand additionalEventData.MFAUsed != \"Yes\""},
    {"3.3", R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })",
     "filter userIdentity.type = \"Root\"\nand not ispresent(userIdentity.invokedBy)\nand eventType != \"AwsServiceEvent\""},
    {"3.4",
     "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName="
     "PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($."
     "eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName="
     "AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName="
     "DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
     "filter eventName in [\"DeleteGroupPolicy\", \"DeleteRolePolicy\", \"DeleteUserPolicy\", \"PutGroupPolicy\",\n"
     "\"PutRolePolicy\", \"PutUserPolicy\", \"CreatePolicy\", \"DeletePolicy\", \"CreatePolicyVersion\",\n"
     "\"DeletePolicyVersion\", \"AttachRolePolicy\", \"DetachRolePolicy\", \"AttachUserPolicy\",\n"
     "\"DetachUserPolicy\", \"AttachGroupPolicy\", \"DetachGroupPolicy\"]"},
    {"3.5",
     "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = "
     "StartLogging) || ($.eventName = StopLogging) }",
     "filter eventName = \"CreateTrail\"\nor eventName = \"UpdateTrail\"\nor eventName = \"DeleteTrail\"\nor "
     "eventName = \"StartLogging\"\nor eventName = \"StopLogging\""},
    {"3.6", R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") })",
     "filter eventName = \"ConsoleLogin\"\nand errorMessage = \"Failed authentication\""},
    {"3.7", "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
     "filter eventSource = \"kms.amazonaws.com\"\nand (eventName = \"DisableKey\"\nor eventName = \"ScheduleKeyDeletion\")"},
    {"3.8",
     "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
     "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || "
     "($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) "
     "|| ($.eventName = DeleteBucketReplication)) }",
     "filter eventSource = \"s3.amazonaws.com\"\nand (eventName = \"PutBucketAcl\"\nor eventName = "
     "\"PutBucketPolicy\"\nor eventName = \"PutBucketCors\"\nor eventName = \"PutBucketLifecycle\"\nor eventName = "
     "\"PutBucketReplication\"\nor eventName = \"DeleteBucketPolicy\"\nor eventName = \"DeleteBucketCors\"\nor "
     "eventName = \"DeleteBucketLifecycle\"\nor eventName = \"DeleteBucketReplication\")"},
    {"3.9",
     "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName="
     "DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }",
     "filter eventSource = \"config.amazonaws.com\"\nand (eventName = \"StopConfigurationRecorder\"\nor eventName = "
     "\"DeleteDeliveryChannel\"\nor eventName = \"PutDeliveryChannel\"\nor eventName = \"PutConfigurationRecorder\")"},
    {"3.10",
     "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = "
     "RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) "
     "|| ($.eventName = DeleteSecurityGroup) }",
     "filter eventName = \"AuthorizeSecurityGroupIngress\"\nor eventName = \"AuthorizeSecurityGroupEgress\"\nor "
     "eventName = \"RevokeSecurityGroupIngress\"\nor eventName = \"RevokeSecurityGroupEgress\"\nor eventName = "
     "\"CreateSecurityGroup\"\nor eventName = \"DeleteSecurityGroup\""},
    {"3.11",
     "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) "
     "|| ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = "
     "ReplaceNetworkAclAssociation) }",
     "filter eventName = \"CreateNetworkAcl\"\nor eventName = \"CreateNetworkAclEntry\"\nor eventName = "
     "\"DeleteNetworkAcl\"\nor eventName = \"DeleteNetworkAclEntry\"\nor eventName = \"ReplaceNetworkAclEntry\"\nor "
     "eventName = \"ReplaceNetworkAclAssociation\""},
    {"3.12",
     "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = "
     "AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || "
     "($.eventName = DetachInternetGateway) }",
     "filter eventName = \"CreateCustomerGateway\"\nor eventName = \"DeleteCustomerGateway\"\nor eventName = "
     "\"AttachInternetGateway\"\nor eventName = \"CreateInternetGateway\"\nor eventName = "
     "\"DeleteInternetGateway\"\nor eventName = \"DetachInternetGateway\""},
    {"3.13",
     "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName "
     "= ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || "
     "($.eventName = DisassociateRouteTable) }",
     "filter eventName = \"CreateRoute\"\nor eventName = \"CreateRouteTable\"\nor eventName = \"ReplaceRoute\"\nor "
     "eventName = \"ReplaceRouteTableAssociation\"\nor eventName = \"DeleteRouteTable\"\nor eventName = "
     "\"DeleteRoute\"\nor eventName = \"DisassociateRouteTable\""},
    {"3.14",
     "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = "
     "AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = "
     "DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = "
     "AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || "
     "($.eventName = EnableVpcClassicLink) }",
     "filter eventName = \"CreateVpc\"\nor eventName = \"DeleteVpc\"\nor eventName = \"ModifyVpcAttribute\"\nor "
     "eventName = \"AcceptVpcPeeringConnection\"\nor eventName = \"CreateVpcPeeringConnection\"\nor eventName = "
     "\"DeleteVpcPeeringConnection\"\nor eventName = \"RejectVpcPeeringConnection\"\nor eventName = "
     "\"AttachClassicLinkVpc\"\nor eventName = \"DetachClassicLinkVpc\"\nor eventName = \"DisableVpcClassicLink\"\nor "
     "eventName = \"EnableVpcClassicLink\""},
};

TEST(CisAgreement, CorrectedSeedQueriesAgreeWithTheirFilterPatterns) {
  const std::vector<std::string> events = testing::LoadCorpus();
  if (events.empty()) GTEST_SKIP() << "shared/corpus is not there";
  for (const SeedQuery& s : kSeedQueries) {
    const std::string text = std::string(kFields) + s.query + "\n| sort @timestamp desc";
    auto query = Query::Compile(text);
    ASSERT_TRUE(query.has_value()) << s.cis << "\n" << query.error().Render();
    EXPECT_TRUE(query->warnings().empty()) << s.cis << "\n" << query->warnings()[0].Render(text);
    const Program pattern = OrThrow(Program::Compile(s.pattern));
    const Tally t = Compare(pattern, *query, events);
    for (const auto& d : t.disagreements) ADD_FAILURE() << "CIS " << s.cis << ": " << d;
    std::printf("CIS %-5s %6zu events in both dialects\n", s.cis, t.selected);
  }
}

TEST(CisAgreement, TheSeedsMistakesAreCaught) {
  // As written in the seed post: each gets a diagnostic.
  auto q31 = OrThrow(Query::Compile(std::string(kFields) + "filter errorCode = \"*UnauthorizedOperation\" \nor errorCode = \"AccessDenied*\""));
  EXPECT_EQ(q31.warnings().size(), 2u);
  auto q36 = Query::Compile(std::string(kFields) + "filter eventName = \"ConsoleLogin\"\nand errorMessage = \"Failed authentication\")");
  ASSERT_FALSE(q36.has_value());
  EXPECT_NE(q36.error().primary().message.find("unbalanced ')'"), std::string::npos);
  auto q38 = OrThrow(Query::Compile(std::string(kFields) + "filter eventSource = s3.amazonaws.com \nand (eventName = \"PutBucketAcl\")"));
  ASSERT_EQ(q38.warnings().size(), 1u);
  EXPECT_NE(q38.warnings()[0].message.find("read as a field name"), std::string::npos);
  auto q32 = OrThrow(Query::Compile(std::string(kFields) + "filter userIdentity.principalId != \"*@classmethod*\""));
  EXPECT_EQ(q32.warnings().size(), 1u);
}

}  // namespace
}  // namespace cwlf
