#!/usr/bin/env python3
"""Independent check of the built-in CloudTrail pack (packs/builtin.json).

What it is for: every rule in the pack has a hand-written Python predicate below, written from
the rule's intent as plain field logic over the event dict. The script asserts that each rule's
tests.match records satisfy the predicate and its tests.noMatch records do not, checks the shape
of each rule (metric, alarm, severity, tests), and optionally counts predicate hits over a corpus.

What it is not: a filter-pattern or Logs Insights interpreter. It never reads filterPattern or
insightsQuery except to check that the parameters they name exist. Agreement between these
predicates and the C++ engine on the same records is the point of keeping them separate.

The predicates follow CloudWatch filter-pattern semantics for the operators the pack uses:
  * `=` / `!=` compare scalar values only; on a missing field, null, a boolean, an array or an
    object both are false;
  * "X*" is a prefix test and "*X" a suffix test on strings;
  * an unquoted value such as DeleteObject is an exact string comparison;
  * NOT EXISTS is true only when the key is absent.
Parameter defaults from the pack are applied (allow-lists, instance-type lists).

usage:
  check_pack_tests.py [--pack PACK] [--corpus PATH ...] [--counts-out FILE] [--expect FILE]
--corpus takes files or directories (searched recursively) of NDJSON records or CloudTrail
delivery files ({"Records": [...]}), plain or .gz; counts are printed to stdout as JSON.
Exit status: 0 when every check passes, 1 otherwise.
"""
import argparse
import gzip
import json
import os
import re
import sys

MISSING = object()
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PACK = os.path.normpath(os.path.join(HERE, "..", "..", "packs", "builtin.json"))


# --- field helpers (filter-pattern semantics) ---------------------------------------------------
def field(event, path):
    """Value at a dotted path through nested objects, or MISSING."""
    cur = event
    for key in path.split("."):
        if not isinstance(cur, dict) or key not in cur:
            return MISSING
        cur = cur[key]
    return cur


def scalar_text(value):
    """Text of a string or number; None for anything a comparison never matches."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    return None


def is_(event, path, *values):
    """`$.path = "v"` for any of values (exact)."""
    text = scalar_text(field(event, path))
    return text is not None and text in values


def is_not(event, path, value):
    """`$.path != "v"`: false when the field is missing or not a scalar."""
    text = scalar_text(field(event, path))
    return text is not None and text != value


def starts(event, path, prefix):
    text = field(event, path)
    return isinstance(text, str) and text.startswith(prefix)


def ends(event, path, suffix):
    text = field(event, path)
    return isinstance(text, str) and text.endswith(suffix)


def absent(event, path):
    return field(event, path) is MISSING


def name_in(event, names):
    return is_(event, "eventName", *names)


def source_and_name(event, source, *names):
    return is_(event, "eventSource", source) and name_in(event, names)


def successful_console_login(event):
    return (is_(event, "eventSource", "signin.amazonaws.com") and is_(event, "eventName", "ConsoleLogin")
            and is_(event, "responseElements.ConsoleLogin", "Success"))


# --- one predicate per rule --------------------------------------------------------------------
def cw1_root_usage(e, p):
    return (is_(e, "userIdentity.type", "Root") and absent(e, "userIdentity.invokedBy")
            and is_not(e, "eventType", "AwsServiceEvent"))


def cw2_unauthorized(e, p):
    denied = ends(e, "errorCode", "UnauthorizedOperation") or starts(e, "errorCode", "AccessDenied")
    return (denied and is_not(e, "sourceIPAddress", "delivery.logs.amazonaws.com")
            and is_not(e, "eventName", "HeadBucket"))


def cw3_console_no_mfa(e, p):
    return (is_(e, "eventName", "ConsoleLogin") and is_not(e, "additionalEventData.MFAUsed", "Yes")
            and is_(e, "userIdentity.type", "IAMUser") and is_(e, "responseElements.ConsoleLogin", "Success"))


IAM_POLICY_EVENTS = {
    "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy",
    "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion",
    "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
    "DetachGroupPolicy"}
TRAIL_EVENTS = {"CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"}
S3_POLICY_EVENTS = {
    "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
    "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"}
CONFIG_EVENTS = {"StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
                 "PutConfigurationRecorder"}
SG_EVENTS = {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
             "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"}
NACL_EVENTS = {"CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
               "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"}
GATEWAY_EVENTS = {"CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                  "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"}
ROUTE_EVENTS = {"CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
                "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"}
VPC_EVENTS = {"CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
              "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
              "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"}
ORGANIZATIONS_EVENTS = {
    "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
    "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
    "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
    "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit"}


def lambda_versioned(e, *bases):
    """Lambda management names carry an API-version suffix: Base + "20" + version."""
    return is_(e, "eventSource", "lambda.amazonaws.com") and any(
        starts(e, "eventName", base + "20") for base in bases)


def login_outside_allowlist(e, p):
    return successful_console_login(e) and all(
        is_not(e, "sourceIPAddress", ip) for ip in p["allowed_source_ips"])


def login_without_mfa(e, p):
    return (successful_console_login(e) and is_(e, "userIdentity.type", "IAMUser")
            and is_not(e, "additionalEventData.MFAUsed", "Yes"))


def large_instance(e, p):
    return (source_and_name(e, "ec2.amazonaws.com", "RunInstances")
            and is_(e, "requestParameters.instanceType", *p["large_instance_types"]))


PREDICATES = {
    "CloudWatch.1": cw1_root_usage,
    "CloudWatch.2": cw2_unauthorized,
    "CloudWatch.3": cw3_console_no_mfa,
    "CloudWatch.4": lambda e, p: name_in(e, IAM_POLICY_EVENTS),
    "CloudWatch.5": lambda e, p: name_in(e, TRAIL_EVENTS),
    "CloudWatch.6": lambda e, p: (is_(e, "eventName", "ConsoleLogin")
                                  and is_(e, "errorMessage", "Failed authentication")),
    "CloudWatch.7": lambda e, p: source_and_name(e, "kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion"),
    "CloudWatch.8": lambda e, p: source_and_name(e, "s3.amazonaws.com", *S3_POLICY_EVENTS),
    "CloudWatch.9": lambda e, p: source_and_name(e, "config.amazonaws.com", *CONFIG_EVENTS),
    "CloudWatch.10": lambda e, p: name_in(e, SG_EVENTS),
    "CloudWatch.11": lambda e, p: name_in(e, NACL_EVENTS),
    "CloudWatch.12": lambda e, p: name_in(e, GATEWAY_EVENTS),
    "CloudWatch.13": lambda e, p: name_in(e, ROUTE_EVENTS),
    "CloudWatch.14": lambda e, p: name_in(e, VPC_EVENTS),
    "organizations-changed": lambda e, p: source_and_name(e, "organizations.amazonaws.com", *ORGANIZATIONS_EVENTS),
    "cloudtrail-logging-stopped": lambda e, p: source_and_name(e, "cloudtrail.amazonaws.com", "StopLogging",
                                                               "DeleteTrail"),
    "cloudtrail-trail-updated": lambda e, p: source_and_name(e, "cloudtrail.amazonaws.com", "UpdateTrail"),
    "s3-object-deleted": lambda e, p: source_and_name(e, "s3.amazonaws.com", "DeleteObject", "DeleteObjects"),
    "s3-object-written": lambda e, p: source_and_name(e, "s3.amazonaws.com", "PutObject", "CopyObject"),
    "s3-bucket-config-changed": lambda e, p: source_and_name(e, "s3.amazonaws.com", "PutBucketPolicy",
                                                             "PutBucketAcl", "PutBucketVersioning"),
    "s3-bucket-deleted": lambda e, p: source_and_name(e, "s3.amazonaws.com", "DeleteBucket"),
    "lambda-function-deleted-or-disabled": lambda e, p: lambda_versioned(e, "DeleteFunction",
                                                                         "UpdateFunctionConfiguration"),
    "lambda-function-modified": lambda e, p: lambda_versioned(e, "UpdateFunctionCode", "UpdateFunctionConfiguration"),
    "lambda-function-invoked": lambda e, p: source_and_name(e, "lambda.amazonaws.com", "Invoke"),
    "console-login-outside-allowlist": login_outside_allowlist,
    "console-login-without-mfa": login_without_mfa,
    "ec2-large-instance-launched": large_instance,
    "root-console-login": lambda e, p: (source_and_name(e, "signin.amazonaws.com", "ConsoleLogin")
                                        and is_(e, "userIdentity.type", "Root")),
    "iam-access-key-created": lambda e, p: source_and_name(e, "iam.amazonaws.com", "CreateAccessKey"),
    "iam-login-profile-changed": lambda e, p: source_and_name(e, "iam.amazonaws.com", "CreateLoginProfile",
                                                              "UpdateLoginProfile"),
    "guardduty-detector-disabled": lambda e, p: source_and_name(
        e, "guardduty.amazonaws.com", "DeleteDetector", "UpdateDetector", "DisassociateFromAdministratorAccount",
        "DisassociateFromMasterAccount", "StopMonitoringMembers"),
    "securityhub-disabled": lambda e, p: source_and_name(
        e, "securityhub.amazonaws.com", "DisableSecurityHub", "BatchDisableStandards",
        "DisassociateFromAdministratorAccount", "DisassociateFromMasterAccount"),
    "cloudtrail-event-selectors-changed": lambda e, p: source_and_name(e, "cloudtrail.amazonaws.com",
                                                                       "PutEventSelectors"),
    "cloudwatch-logs-tampering": lambda e, p: source_and_name(
        e, "logs.amazonaws.com", "DeleteLogGroup", "DeleteLogStream", "DeleteMetricFilter",
        "DeleteSubscriptionFilter"),
    "vpc-flow-logs-deleted": lambda e, p: source_and_name(e, "ec2.amazonaws.com", "DeleteFlowLogs"),
}


# --- pack shape ----------------------------------------------------------------------------------
SEVERITIES = {"low", "medium", "high", "critical"}
RULE_KEYS = {"id", "title", "severity", "description", "references", "filterPattern", "insightsQuery",
             "metricTransformation", "alarm", "tests", "falsePositives"}
ALARM = {"statistic": "Sum", "period": 300, "evaluationPeriods": 1, "datapointsToAlarm": 1, "threshold": 1,
         "comparisonOperator": "GreaterThanOrEqualToThreshold", "treatMissingData": "notBreaching"}
INSIGHTS_HEAD = "fields @timestamp, eventName, eventSource, sourceIPAddress, userIdentity.arn | filter "
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
RECORD_KEYS = ("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
               "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "eventID", "eventType",
               "recipientAccountId")


def check_shape(rule, params, problems):
    rid = rule.get("id", "?")

    def bad(msg):
        problems.append(f"{rid}: {msg}")

    missing = RULE_KEYS - rule.keys()
    if missing:
        bad(f"missing keys {sorted(missing)}")
        return
    if rule["severity"] not in SEVERITIES:
        bad(f"severity {rule['severity']!r}")
    if not rule["filterPattern"].startswith("{") or not rule["filterPattern"].endswith("}"):
        bad("filterPattern is not a JSON pattern")
    if not rule["insightsQuery"].startswith(INSIGHTS_HEAD):
        bad("insightsQuery does not start with the standard fields/filter head")
    for text in (rule["filterPattern"], rule["insightsQuery"]):
        for name in PLACEHOLDER.findall(text):
            if name not in params:
                bad(f"unknown parameter {name}")
    mt = rule["metricTransformation"]
    namespace = "CISBenchmark" if rid.startswith("CloudWatch.") or rid == "organizations-changed" else "CloudTrailMetrics"
    if mt.get("metricNamespace") != namespace or mt.get("metricValue") != "1" or not mt.get("metricName"):
        bad(f"metricTransformation {mt}")
    if rule["alarm"] != ALARM:
        bad(f"alarm {rule['alarm']}")
    if not rule["references"] or not rule["falsePositives"]:
        bad("references/falsePositives empty")
    tests = rule["tests"]
    if len(tests.get("match", [])) < 2 or len(tests.get("noMatch", [])) < 2:
        bad("needs at least 2 match and 2 noMatch records")
    for kind in ("match", "noMatch"):
        for i, record in enumerate(tests.get(kind, [])):
            lacking = [k for k in RECORD_KEYS if k not in record]
            if lacking:
                bad(f"{kind}[{i}] lacks {lacking}")
            if record.get("recipientAccountId") != "123456789012":
                bad(f"{kind}[{i}] recipientAccountId is not the placeholder account")


def check_tests(pack):
    params = {name: spec["default"] for name, spec in pack["parameters"].items()}
    problems = []
    ids = [r.get("id") for r in pack["rules"]]
    if len(ids) != len(set(ids)):
        problems.append("duplicate rule ids")
    for rid in sorted(set(ids) ^ PREDICATES.keys()):
        problems.append(f"{rid}: rule without predicate or predicate without rule")
    passed = 0
    for rule in pack["rules"]:
        check_shape(rule, params, problems)
        predicate = PREDICATES.get(rule.get("id"))
        if predicate is None:
            continue
        for kind, want in (("match", True), ("noMatch", False)):
            for i, record in enumerate(rule["tests"][kind]):
                if predicate(record, params) is want:
                    passed += 1
                else:
                    problems.append(f"{rule['id']}: tests.{kind}[{i}] ({record.get('eventName')}) "
                                    f"predicate says {not want}")
    return params, passed, problems


# --- corpus --------------------------------------------------------------------------------------
def corpus_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith((".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")):
                        yield os.path.join(root, name)
        else:
            yield path


def records(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    stripped = text.lstrip()
    if stripped.startswith("{") and stripped[1:].lstrip().startswith('"Records"'):
        yield from json.loads(text)["Records"]
        return
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


def count_corpus(pack, params, paths):
    order = [r["id"] for r in pack["rules"]]
    counts = dict.fromkeys(order, 0)
    total = 0
    for path in corpus_files(paths):
        for record in records(path):
            total += 1
            for rid in order:
                if PREDICATES[rid](record, params):
                    counts[rid] += 1
    return total, counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pack", default=DEFAULT_PACK)
    ap.add_argument("--corpus", nargs="+", metavar="PATH", help="files or directories of CloudTrail records")
    ap.add_argument("--counts-out", metavar="FILE", help="write the corpus counts as JSON")
    ap.add_argument("--expect", metavar="FILE", help="fail unless corpus counts equal this JSON file")
    args = ap.parse_args(argv)

    with open(args.pack, encoding="utf-8") as fh:
        pack = json.load(fh)
    params, passed, problems = check_tests(pack)
    for p in problems:
        print("FAIL", p, file=sys.stderr)
    print(f"{len(pack['rules'])} rules, {passed} test records agree with the predicates, "
          f"{len(problems)} problems", file=sys.stderr)

    if args.corpus:
        total, counts = count_corpus(pack, params, args.corpus)
        print(f"{total} corpus records", file=sys.stderr)
        text = json.dumps(counts, indent=2) + "\n"
        sys.stdout.write(text)
        if args.counts_out:
            with open(args.counts_out, "w", encoding="utf-8") as fh:
                fh.write(text)
        if args.expect:
            with open(args.expect, encoding="utf-8") as fh:
                expected = json.load(fh)
            for rid in sorted(set(expected) | set(counts)):
                if expected.get(rid) != counts.get(rid):
                    problems.append(f"{rid}: corpus count {counts.get(rid)} != expected {expected.get(rid)}")
                    print("FAIL", problems[-1], file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
