#!/usr/bin/env python3
"""Agreement of the built-in pack with labelled detections of two public rule
repositories (shared/labeled, see its INDEX.md), through the built cwlf CLI.

usage: labeled_agreement.py CWLF [SHARED_DIR]

Each mapping pairs a source rule with the pack rule that means the same (or
nearly: the note says how they differ). For every labelled test event of the
source rule, the pack rule's answer (cwlf scan --format jsonl) is compared with
the label. Prints one line per mapping and a total; differences are expected
where the note says so, so this reports and does not fail on them. It fails
only when cwlf cannot run.
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

# (source, rule_id) -> (pack rule id, how they differ)
MAPPING = {
    ("panther-analysis", "AWS.CloudTrail.Stopped"): ("cloudtrail-logging-stopped", "Panther requires success; the pack counts attempts and requires eventSource"),
    ("panther-analysis", "AWS.S3.BucketPolicyModified"): ("CloudWatch.8", "Panther requires success and no eventSource"),
    ("panther-analysis", "AWS.IAM.PolicyModified"): ("CloudWatch.4", "Panther requires success"),
    ("panther-analysis", "AWS.KMS.CustomerManagedKeyLoss"): ("CloudWatch.7", "Panther requires success and no eventSource"),
    ("panther-analysis", "AWS.EC2.GatewayModified"): ("CloudWatch.12", "Panther requires success"),
    ("panther-analysis", "AWS.EC2.NetworkACLModified"): ("CloudWatch.11", "Panther requires success"),
    ("panther-analysis", "AWS.EC2.RouteTableModified"): ("CloudWatch.13", "Panther requires success"),
    ("panther-analysis", "AWS.EC2.SecurityGroupModified"): ("CloudWatch.10", "Panther requires success"),
    ("panther-analysis", "AWS.EC2.VPCModified"): ("CloudWatch.14", "Panther requires success"),
    ("panther-analysis", "AWS.Root.Activity"): ("CloudWatch.1", "Panther also requires success, not readOnly, not CreateServiceLinkedRole"),
    ("streamalert", "cloudtrail_root_account_usage"): ("CloudWatch.1", "same logic"),
    ("panther-analysis", "AWS.Console.RootLogin"): ("root-console-login", "same logic (one test mocks a lookup)"),
    ("panther-analysis", "AWS.ConfigService.DisabledDeleted"): ("CloudWatch.9", "CloudWatch.9 also counts Put* changes; Panther requires success"),
    ("panther-analysis", "AWS.S3.DeleteObject"): ("s3-object-deleted", "Panther requires success"),
    ("panther-analysis", "AWS.S3.DeleteObjects"): ("s3-object-deleted", "Panther also counts DeleteObjectVersion"),
    ("panther-analysis", "AWS.S3.BucketDeleted"): ("s3-bucket-deleted", "Panther matches any DeleteBucket* prefix"),
    ("panther-analysis", "AWS.Lambda.UpdateFunctionCode"): ("lambda-function-modified", "Panther also filters identities"),
    ("panther-analysis", "AWS.Console.LoginWithoutMFA"): ("console-login-without-mfa", "Panther suppresses SSO/SAML/new users (mocked)"),
    ("panther-analysis", "AWS.VPCFlow.LogsDeleted"): ("vpc-flow-logs-deleted", "Panther requires success"),
    ("panther-analysis", "AWS.CloudTrail.EventSelectorsDisabled"): ("cloudtrail-event-selectors-changed", "Panther fires only when management events are excluded"),
}


def main():
    cwlf = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
    rows = []
    for name in ("panther-analysis.jsonl", "streamalert.jsonl"):
        with open(os.path.join(shared, "labeled", name), encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    cases = [r for r in rows if (r["source"], r["rule_id"]) in MAPPING]
    tmp = tempfile.mkdtemp(prefix="cwlf-labeled-")
    events = os.path.join(tmp, "events.jsonl")
    with open(events, "w", encoding="utf-8") as f:
        for r in cases:
            f.write(json.dumps(r["event"], separators=(",", ":")) + "\n")
    p = subprocess.run([cwlf, "scan", "--format", "jsonl", "--no-progress", events], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(p.stderr)
        sys.exit(2)
    hits = collections.defaultdict(set)
    for line in p.stdout.splitlines():
        m = json.loads(line)
        if "rule" in m and "record" in m:
            hits[m["record"]].add(m["rule"])
    per = collections.OrderedDict()
    for i, r in enumerate(cases):
        key = (r["source"], r["rule_id"])
        ours = MAPPING[key][0] in hits[i]
        t = per.setdefault(key, [0, 0, []])
        if ours == r["expected"]:
            t[0] += 1
        else:
            t[1] += 1
            t[2].append(f"{r['test_name'][:50]!r}: label {r['expected']}, pack {ours}")
    agree = disagree = 0
    for key, (a, d, why) in per.items():
        agree += a
        disagree += d
        print(f"{key[0]:17} {key[1]:42} -> {MAPPING[key][0]:36} {a}/{a + d} agree ({MAPPING[key][1]})")
        for w in why:
            print(f"    differs: {w}")
    print(f"labeled agreement: {agree} agree, {disagree} differ over {len(per)} mapped rules")


if __name__ == "__main__":
    main()
