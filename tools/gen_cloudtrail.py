#!/usr/bin/env python3
"""Seeded generator of synthetic CloudTrail records for cwlf tests, benchmarks and examples.

What it is for: producing realistic-looking CloudTrail traffic of any size, deterministic for a
seed, with a fixed set of attack stories injected at known points so that detection rules have
something to find. Output can be NDJSON (one record per line, as a CloudTrail -> CloudWatch Logs
subscription delivers it), one CloudTrail delivery file ({"Records": [...]}), or a directory tree
in the S3 layout CloudTrail writes (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/...json.gz,
one file per region per 5-minute batch).

What it is not: a model of any real account. Accounts, addresses and keys are placeholders
(account 123456789012; public addresses only from the documentation ranges 192.0.2.0/24,
198.51.100.0/24 and 203.0.113.0/24; private 10.x addresses behind VPC endpoints).

usage:
  gen_cloudtrail.py --seed N --events N --format ndjson|records|s3 --out PATH
                    [--gzip] [--start ISO8601] [--days D] [--no-stories]

--days defaults to events / 60000 (about 0.7 records per second, at least one hour), so small
samples cover a few hours and large benchmark corpora a few days. --out - writes ndjson/records to stdout.
Same arguments, same bytes (gzip headers carry no timestamp).
"""
import argparse
import base64
import bisect
import calendar
import functools
import gzip
import json
import os
import random
import re
import sys
import time

ACCOUNT = "123456789012"
FOREIGN_ACCOUNT = "210987654321"
DEFAULT_START = "2025-03-03T08:00:00Z"
RATE_PER_DAY = 60000
BATCH_SECONDS = 300

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"]
REGION_WEIGHTS = [0.74, 0.14, 0.08, 0.04]
GLOBAL_SOURCES = {"iam.amazonaws.com", "signin.amazonaws.com", "organizations.amazonaws.com"}

OFFICE_IP = "203.0.113.10"          # in the pack's default allow-list
VPN_IP = "198.51.100.20"            # in the pack's default allow-list
HOME_IPS = ["198.51.100.31", "198.51.100.47", "203.0.113.88", "198.51.100.112"]
CI_IPS = ["198.51.100.140", "198.51.100.141", "198.51.100.142", "198.51.100.143"]
AWS_EGRESS_IPS = ["203.0.113.201", "203.0.113.202", "203.0.113.217", "203.0.113.230"]
ATTACKER_IP = "192.0.2.66"
ATTACKER_IP2 = "192.0.2.117"
ROOT_IP = "192.0.2.44"

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

UA_CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/"
UA_CLI_MAC = "aws-cli/2.15.21 Python/3.11.6 Darwin/23.3.0 exe/x86_64 prompt/off command/"
UA_BOTO = ("Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 "
           "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69")
UA_SDK_JS = "aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.214-224.855.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/{api}#3.540.0"
UA_TF = ("APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 "
         "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 "
         "md/GOOS#linux md/GOARCH#amd64 api/{api}#1.30.0")
UA_BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/123.0.0.0 Safari/537.36")
UA_BROWSER_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                  "Version/17.4 Safari/605.1.15")
UA_CONSOLE = "AWS Internal"


# --------------------------------------------------------------------------------------------------
# Identities
def _pid(rng, prefix):
    return prefix + "".join(rng.choice(UPPER_ALNUM) for _ in range(17))


def _key(rng, prefix):
    return prefix + "".join(rng.choice(UPPER_ALNUM) for _ in range(16))


class Actor:
    """One caller: a userIdentity plus how it reaches AWS (addresses, user agents, console or not)."""
    __slots__ = ("ident", "ips", "uas", "console", "kind", "name", "vpce")

    def __init__(self, ident, ips, uas, console=False, kind="human", name="", vpce=None):
        self.ident, self.ips, self.uas, self.console = ident, ips, uas, console
        self.kind, self.name, self.vpce = kind, name, vpce


def iam_user(rng, name):
    return {"type": "IAMUser", "principalId": _pid(rng, "AIDA"), "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accountId": ACCOUNT, "accessKeyId": _key(rng, "AKIA"), "userName": name}


def assumed_role(rng, role, session, created, mfa=False, invoked_by=None):
    rid = _pid(rng, "AROA")
    ident = {"type": "AssumedRole", "principalId": f"{rid}:{session}",
             "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
             "accessKeyId": _key(rng, "ASIA"),
             "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid,
                                                  "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                                                  "accountId": ACCOUNT, "userName": role},
                                "webIdFederationData": {},
                                "attributes": {"creationDate": created,
                                               "mfaAuthenticated": "true" if mfa else "false"}}}
    if invoked_by:
        ident["invokedBy"] = invoked_by
    return ident


def aws_service(svc):
    return {"type": "AWSService", "invokedBy": svc}


def root_ident(rng, created):
    return {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root",
            "accountId": ACCOUNT, "accessKeyId": _key(rng, "ASIA"),
            "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                               "attributes": {"creationDate": created, "mfaAuthenticated": "false"}}}


class World:
    """Everything one run draws from: actors, resources, helpers for ids. Built from the seed."""

    def __init__(self, rng, start):
        self.rng = rng
        r = rng
        created = iso(start - 600)
        self.buckets = ["orders-data-123456789012", "app-config-123456789012", "finance-reports-123456789012",
                        "static-site-123456789012", "ml-datasets-123456789012", "build-artifacts-123456789012"]
        self.log_bucket = "cloudtrail-logs-123456789012"
        self.functions = ["orders-api", "payments-webhook", "thumbnail-resizer", "nightly-report", "iam-key-rotator",
                          "audit-forwarder"]
        self.instances = [f"i-0{r.getrandbits(64):016x}" for _ in range(12)]
        self.sgs = [f"sg-0{r.getrandbits(64):016x}" for _ in range(6)]
        self.vpcs = [f"vpc-0{r.getrandbits(64):016x}" for _ in range(3)]
        self.subnets = [f"subnet-0{r.getrandbits(64):016x}" for _ in range(6)]
        self.route_tables = [f"rtb-0{r.getrandbits(64):016x}" for _ in range(4)]
        self.kms_keys = [f"{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-"
                         f"a{r.getrandbits(12):03x}-{r.getrandbits(48):012x}" for _ in range(4)]
        self.detector = f"{r.getrandbits(128):032x}"
        self.trail_arn = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-management-trail"
        self.log_group = f"aws-cloudtrail-logs-{ACCOUNT}"

        home = HOME_IPS
        self.people = []
        for name in ("alice", "bob.ops", "chen.wei", "dmitri.k", "emma.s"):
            ident = iam_user(r, name)
            self.people.append(Actor(ident, [OFFICE_IP, OFFICE_IP, VPN_IP, r.choice(home)],
                                     [UA_CLI + "{cmd}", UA_CLI_MAC + "{cmd}", UA_BOTO], kind="cli", name=name))
        self.sso = []
        for email, perm in (("carol@example.com", "AdministratorAccess"), ("dave@example.com", "ReadOnly"),
                            ("farah@example.com", "PowerUserAccess"), ("gus@example.com", "ReadOnly")):
            role = f"AWSReservedSSO_{perm}_{r.getrandbits(64):016x}"
            self.sso.append(Actor(assumed_role(r, role, email, created), [OFFICE_IP, VPN_IP, r.choice(home)],
                                  [UA_CONSOLE, UA_BROWSER, UA_BROWSER_MAC], console=True, kind="console",
                                  name=email))
        self.ci = Actor(assumed_role(r, "github-actions-deploy", f"gha-{r.randrange(10**9, 10**10)}", created),
                        CI_IPS, [UA_TF], kind="ci", name="github-actions-deploy")
        vpce = f"vpce-0{r.getrandbits(56):014x}"
        self.apps = []
        for inst in self.instances[:6]:
            self.apps.append(Actor(assumed_role(r, "orders-app-instance-role", inst, created),
                                   [f"10.0.{r.randrange(1, 40)}.{r.randrange(2, 250)}"],
                                   [UA_SDK_JS, UA_BOTO], kind="app", name=inst, vpce=vpce))
        self.lambdas = []
        for fn in self.functions:
            self.lambdas.append(Actor(assumed_role(r, f"{fn}-exec", fn, created), AWS_EGRESS_IPS, [UA_SDK_JS, UA_BOTO],
                                      kind="lambda", name=fn))
        self.service_roles = {
            "config": Actor(assumed_role(r, "AWSServiceRoleForConfig", "AWSConfig-Describe", created,
                                         invoked_by="config.amazonaws.com"),
                            ["config.amazonaws.com"], ["config.amazonaws.com"], kind="svc"),
            "securityhub": Actor(assumed_role(r, "AWSServiceRoleForSecurityHub", "securityhub", created,
                                              invoked_by="securityhub.amazonaws.com"),
                                 ["securityhub.amazonaws.com"], ["securityhub.amazonaws.com"], kind="svc"),
            "autoscaling": Actor(assumed_role(r, "AWSServiceRoleForAutoScaling", "AutoScaling", created,
                                              invoked_by="autoscaling.amazonaws.com"),
                                 ["autoscaling.amazonaws.com"], ["autoscaling.amazonaws.com"], kind="svc"),
        }
        self.compromised = Actor(iam_user(r, "svc-backup"), [ATTACKER_IP],
                                 [UA_CLI + "{cmd}", "Boto3/1.28.0 Python/3.10.12 Linux/5.15.0-1019-kali Botocore/1.31.0"],
                                 kind="attacker", name="svc-backup")
        self.root = Actor(root_ident(r, created), [ROOT_IP], [UA_CONSOLE, UA_BROWSER], console=True, kind="root",
                          name="root")

    # ids ------------------------------------------------------------------------------------------
    def uuid(self):
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def s3_request_id(self):
        return "".join(self.rng.choices(UPPER_ALNUM, k=16))

    def amz_id2(self):
        return base64.b64encode(self.rng.getrandbits(448).to_bytes(56, "big")).decode()


# --------------------------------------------------------------------------------------------------
# Record assembly
def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def tls_host(source, region):
    svc = source.split(".", 1)[0]
    if source in GLOBAL_SOURCES:
        return "signin.aws.amazon.com" if svc == "signin" else f"{svc}.amazonaws.com"
    return f"{svc}.{region}.amazonaws.com"


def make(w, t, actor, source, name, region, req=None, resp=None, read_only=False, error=None, category="Management",
         extra=None, resources=None, ua=None, ip=None, event_type="AwsApiCall", host=None, s3=False,
         version="1.09"):
    """Build one record in CloudTrail's field order."""
    rng = w.rng
    ident = actor.ident
    if ua is None:
        svc = source.split(".", 1)[0]
        ua = fill_ua(rng.choice(actor.uas), svc, f"{svc}.{kebab(name)}")
    rec = {"eventVersion": version, "userIdentity": ident, "eventTime": iso(t), "eventSource": source,
           "eventName": name, "awsRegion": region, "sourceIPAddress": ip or rng.choice(actor.ips),
           "userAgent": ua}
    if error:
        rec["errorCode"], rec["errorMessage"] = error
    rec["requestParameters"] = req
    rec["responseElements"] = resp
    if extra and "additionalEventData" in extra:
        rec["additionalEventData"] = extra["additionalEventData"]
    rec["requestID"] = w.s3_request_id() if s3 else w.uuid()
    rec["eventID"] = w.uuid()
    rec["readOnly"] = read_only
    if resources:
        rec["resources"] = resources
    rec["eventType"] = event_type
    rec["managementEvent"] = category == "Management"
    rec["recipientAccountId"] = ACCOUNT
    service_call = ident.get("type") == "AWSService"
    if service_call and rng.random() < 0.5:
        rec["sharedEventID"] = w.uuid()
    if actor.vpce and not service_call:
        rec["vpcEndpointId"] = actor.vpce
    if extra:
        for k, v in extra.items():
            if k != "additionalEventData":
                rec[k] = v
    rec["eventCategory"] = category
    if not service_call and not (actor.vpce and rng.random() < 0.5):
        rec["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                             "clientProvidedHostHeader": host or tls_host(source, region)}
    if actor.console and not service_call and source != "signin.amazonaws.com":
        rec["sessionCredentialFromConsole"] = "true"
    return rec


@functools.lru_cache(maxsize=None)
def kebab(name):
    """CLI command spelling of an API name: DescribeInstances -> describe-instances."""
    name = re.sub(r"20\d{6}(v\d)?$", "", name)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def fill_ua(ua, svc, cmd):
    return ua.replace("{cmd}", cmd).replace("{api}", svc) if "{" in ua else ua


def cli_ua(actor, rng, cmd):
    return fill_ua(rng.choice(actor.uas), cmd.split(".", 1)[0], cmd)


def s3_extra(w, bytes_in, bytes_out):
    return {"additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                    "bytesTransferredIn": bytes_in, "AuthenticationMethod": "AuthHeader",
                                    "x-amz-id-2": w.amz_id2(), "bytesTransferredOut": bytes_out}}


def s3_object_event(w, t, actor, name, bucket, key, region="us-east-1", error=None, req_extra=None, ua=None, ip=None):
    rng = w.rng
    read = name in ("GetObject", "HeadObject")
    size = rng.randrange(200, 5_000_000)
    req = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": key}
    if req_extra:
        req.update(req_extra)
    if ua is None:
        ua = "[" + cli_ua(actor, rng, "s3.cp") + "]"
    return make(w, t, actor, "s3.amazonaws.com", name, region, req=req, read_only=read, error=error,
                category="Data", s3=True, ua=ua, ip=ip, version="1.10",
                extra=s3_extra(w, 0 if read else size, 0 if (not read or error) else size),
                resources=[{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                           {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
                host=f"{bucket}.s3.{region}.amazonaws.com")


def s3_bucket_event(w, t, actor, name, bucket, req_extra=None, read_only=False, error=None, ua=None, ip=None):
    rng = w.rng
    req = {"bucketName": bucket, "Host": f"{bucket}.s3.us-east-1.amazonaws.com"}
    if req_extra:
        req.update(req_extra)
    if ua is None:
        if actor.kind in ("cli", "attacker"):
            ua = "[" + cli_ua(actor, rng, "s3api." + kebab(name)) + "]"
        elif actor.kind == "console":
            ua = "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.670 Linux/5.10.213-179.855.amzn2int.x86_64]"
        else:
            ua = "[" + cli_ua(actor, rng, "s3") + "]"
    return make(w, t, actor, "s3.amazonaws.com", name, "us-east-1", req=req, read_only=read_only, error=error,
                s3=True, ua=ua, ip=ip, extra=s3_extra(w, 0, 0),
                resources=[{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
                host=f"{bucket}.s3.us-east-1.amazonaws.com")


def fn_arn(fn, region="us-east-1"):
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{fn}"


def lambda_config(w, fn, region="us-east-1", **kw):
    rng = w.rng
    d = {"functionName": fn, "functionArn": fn_arn(fn, region), "runtime": "python3.12",
         "role": f"arn:aws:iam::{ACCOUNT}:role/{fn}-exec", "handler": "app.handler",
         "codeSize": rng.randrange(2000, 9_000_000), "description": "", "timeout": 30, "memorySize": 256,
         "lastModified": "2025-03-03T09:00:00.000+0000",
         "codeSha256": base64.b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode(),
         "version": "$LATEST", "tracingConfig": {"mode": "PassThrough"}, "revisionId": w.uuid(),
         "state": "Active", "lastUpdateStatus": "InProgress", "packageType": "Zip",
         "architectures": ["x86_64"], "ephemeralStorage": {"size": 512}}
    d.update(kw)
    return d


def console_login(w, t, actor, ok=True, mfa="Yes", ip=None, ua=None, region="us-east-1"):
    rng = w.rng
    ident = actor.ident
    if ident["type"] == "IAMUser":
        ident = {k: v for k, v in ident.items() if k != "accessKeyId"}
    elif ident["type"] == "Root":
        ident = {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root",
                 "accountId": ACCOUNT, "accessKeyId": ""}
    aed = {"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_"
                      f"{region}_{rng.getrandbits(64):016x}",
           "MobileVersion": "No", "MFAUsed": mfa}
    if mfa == "Yes":
        aed["MFAIdentifier"] = f"arn:aws:iam::{ACCOUNT}:mfa/{ident.get('userName', 'root-account-mfa-device')}"
    if ident["type"] == "AssumedRole":
        aed["SamlProviderArn"] = f"arn:aws:iam::{ACCOUNT}:saml-provider/AWSSSO_{rng.getrandbits(64):016x}_DO_NOT_DELETE"
    rec = {"eventVersion": "1.08", "userIdentity": ident, "eventTime": iso(t), "eventSource": "signin.amazonaws.com",
           "eventName": "ConsoleLogin", "awsRegion": region, "sourceIPAddress": ip or rng.choice(actor.ips),
           "userAgent": ua or rng.choice([UA_BROWSER, UA_BROWSER_MAC])}
    if not ok:
        rec["errorMessage"] = "Failed authentication"
    rec.update({"requestParameters": None, "responseElements": {"ConsoleLogin": "Success" if ok else "Failure"},
                "additionalEventData": aed, "eventID": w.uuid(), "readOnly": False,
                "eventType": "AwsConsoleSignIn", "managementEvent": True, "recipientAccountId": ACCOUNT,
                "eventCategory": "Management",
                "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                               "clientProvidedHostHeader": "signin.aws.amazon.com"}})
    return rec


def run_instances(w, t, actor, itype, region, count=1, error=None, ua=None):
    rng = w.rng
    req = {"instancesSet": {"items": [{"imageId": f"ami-0{rng.getrandbits(64):016x}", "minCount": count,
                                       "maxCount": count}]},
           "instanceType": itype, "blockDeviceMapping": {}, "monitoring": {"enabled": False},
           "disableApiTermination": False, "disableApiStop": False, "clientToken": w.uuid(), "ebsOptimized": False}
    resp = None
    if not error:
        resp = {"requestId": w.uuid(), "reservationId": f"r-0{rng.getrandbits(64):016x}", "ownerId": ACCOUNT,
                "groupSet": {}, "instancesSet": {"items": [
                    {"instanceId": f"i-0{rng.getrandbits(64):016x}", "instanceType": itype,
                     "instanceState": {"code": 0, "name": "pending"}, "launchTime": int(t * 1000)}
                    for _ in range(count)]}}
    return make(w, t, actor, "ec2.amazonaws.com", "RunInstances", region, req=req, resp=resp, error=error, ua=ua)


# --------------------------------------------------------------------------------------------------
# Background traffic. Each entry: (weight, function(w, t, region) -> record).
DENIED = 0.03


def _human(w):
    r = w.rng.random()
    if r < 0.45:
        return w.rng.choice(w.people)
    if r < 0.8:
        return w.rng.choice(w.sso)
    return w.ci


def _maybe_denied(w, actor, source, name):
    if w.rng.random() >= DENIED:
        return None
    if source == "ec2.amazonaws.com":
        return ("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: "
                f"{actor.ident['arn']} is not authorized to perform: ec2:{name} because no identity-based policy "
                f"allows the ec2:{name} action. Encoded authorization failure message: "
                + base64.b64encode(w.rng.getrandbits(240).to_bytes(30, "big")).decode())
    svc = source.split(".", 1)[0]
    return ("AccessDenied", f"User: {actor.ident['arn']} is not authorized to perform: {svc}:{name} "
                            f"because no identity-based policy allows the {svc}:{name} action")


READS = [
    # source, eventName, request builder
    ("ec2.amazonaws.com", "DescribeInstances", lambda w: {"instancesSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", lambda w: {"securityGroupSet": {}, "securityGroupIdSet": {},
                                                               "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeVpcs", lambda w: {"vpcSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeSubnets", lambda w: {"subnetSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeRouteTables", lambda w: {"routeTableIdSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeVolumes", lambda w: {"volumeSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeInstanceStatus", lambda w: {"instancesSet": {}, "filterSet": {},
                                                               "includeAllInstances": False}),
    ("iam.amazonaws.com", "GetUser", lambda w: {"userName": w.rng.choice(w.people).name}),
    ("iam.amazonaws.com", "ListRoles", lambda w: None),
    ("iam.amazonaws.com", "ListAttachedRolePolicies", lambda w: {"roleName": "orders-app-instance-role"}),
    ("iam.amazonaws.com", "GetRole", lambda w: {"roleName": w.rng.choice(w.functions) + "-exec"}),
    ("iam.amazonaws.com", "ListAccessKeys", lambda w: {"userName": w.rng.choice(w.people).name}),
    ("s3.amazonaws.com", "ListBuckets", None),
    ("s3.amazonaws.com", "GetBucketPolicy", None),
    ("s3.amazonaws.com", "GetBucketAcl", None),
    ("s3.amazonaws.com", "GetBucketVersioning", None),
    ("cloudtrail.amazonaws.com", "LookupEvents", lambda w: {"maxResults": 50}),
    ("cloudtrail.amazonaws.com", "DescribeTrails", lambda w: {"includeShadowTrails": True}),
    ("cloudtrail.amazonaws.com", "GetTrailStatus", lambda w: {"name": w.trail_arn}),
    ("lambda.amazonaws.com", "ListFunctions20150331", lambda w: None),
    ("lambda.amazonaws.com", "GetFunction20150331v2", lambda w: {"functionName": w.rng.choice(w.functions)}),
    ("logs.amazonaws.com", "DescribeLogGroups", lambda w: {"limit": 50}),
    ("logs.amazonaws.com", "FilterLogEvents", lambda w: {"logGroupName": "/aws/lambda/" + w.rng.choice(w.functions),
                                                         "filterPattern": "ERROR", "interleaved": True}),
    ("logs.amazonaws.com", "StartQuery", lambda w: {"logGroupName": w.log_group, "startTime": 1740960000,
                                                    "endTime": 1741046400,
                                                    "queryString": "fields @timestamp, eventName | filter errorCode like /AccessDenied/"}),
    ("kms.amazonaws.com", "ListKeys", lambda w: None),
    ("kms.amazonaws.com", "DescribeKey", lambda w: {"keyId": w.rng.choice(w.kms_keys)}),
    ("ssm.amazonaws.com", "GetParameter", lambda w: {"name": "/orders/prod/db-host", "withDecryption": False}),
    ("ssm.amazonaws.com", "DescribeParameters", lambda w: {"maxResults": 50}),
    ("secretsmanager.amazonaws.com", "GetSecretValue", lambda w: {"secretId": "prod/orders/db"}),
    ("sts.amazonaws.com", "GetCallerIdentity", lambda w: None),
    ("monitoring.amazonaws.com", "DescribeAlarms", lambda w: {"maxRecords": 100}),
    ("monitoring.amazonaws.com", "GetMetricData", lambda w: {"startTime": "Mar 3, 2025, 8:00:00 AM",
                                                             "endTime": "Mar 3, 2025, 9:00:00 AM"}),
    ("guardduty.amazonaws.com", "ListDetectors", lambda w: None),
    ("guardduty.amazonaws.com", "ListFindings", lambda w: {"detectorId": w.detector, "maxResults": 50}),
    ("securityhub.amazonaws.com", "GetFindings", lambda w: {"MaxResults": 100}),
    ("securityhub.amazonaws.com", "DescribeHub", lambda w: None),
    ("organizations.amazonaws.com", "DescribeOrganization", lambda w: None),
    ("config.amazonaws.com", "DescribeConfigurationRecorderStatus", lambda w: None),
]
READ_WEIGHTS = [6, 2, 1.2, 1, 1.2, 0.8, 0.8, 1.2, 0.8, 0.6, 0.6, 0.4, 1.5, 0.6, 0.6, 0.4, 0.6, 0.3, 0.3, 0.8,
                0.6, 0.8, 0.6, 0.3, 0.5, 0.5, 1.2, 0.6, 1.2, 1.4, 0.8, 1.2, 0.2, 0.4, 0.4, 0.2, 0.2, 0.2]


def bg_read(w, t, region):
    rng = w.rng
    source, name, reqf = rng.choices(READS, READ_WEIGHTS)[0]
    actor = _human(w) if rng.random() < 0.7 else rng.choice(w.apps + w.lambdas)
    if source in GLOBAL_SOURCES:
        region = "us-east-1"
    if source == "s3.amazonaws.com":
        if name == "ListBuckets":
            return make(w, t, actor, source, name, "us-east-1", req={"Host": "s3.us-east-1.amazonaws.com"},
                        read_only=True, s3=True, ua="[" + cli_ua(actor, rng, "s3.ls") + "]",
                        extra=s3_extra(w, 0, 0))
        req = {name[9:].lower(): ""}
        err = _maybe_denied(w, actor, source, name)
        if not err and name == "GetBucketPolicy" and rng.random() < 0.3:
            err = ("NoSuchBucketPolicy", "The bucket policy does not exist")
        return s3_bucket_event(w, t, actor, name, rng.choice(w.buckets), req_extra=req, read_only=True, error=err)
    ua = None
    if actor.kind == "cli":
        ua = cli_ua(actor, rng, source.split(".", 1)[0] + "." + kebab(name))
    err = _maybe_denied(w, actor, source, name)
    if not err and rng.random() < 0.01:
        err = ("ThrottlingException", "Rate exceeded")
    return make(w, t, actor, source, name, region, req=reqf(w), read_only=True, error=err, ua=ua)


def bg_s3_data(w, t, region):
    rng = w.rng
    r = rng.random()
    bucket = rng.choice(w.buckets[:2] + w.buckets[4:])
    key = rng.choice(["orders/2025/03/03/", "exports/", "config/", "images/", "datasets/v7/"]) + \
        f"{rng.getrandbits(40):010x}." + rng.choice(["json", "csv", "parquet", "jpg", "gz"])
    actor = rng.choice(w.apps + w.lambdas) if rng.random() < 0.85 else rng.choice(w.people)
    err = None
    if r < 0.55:
        name = "GetObject"
        x = rng.random()
        if x < 0.02:
            err = ("AccessDenied", "Access Denied")
        elif x < 0.05:
            err = ("NoSuchKey", "The specified key does not exist.")
    elif r < 0.88:
        name = "PutObject"
        if rng.random() < 0.02:
            err = ("AccessDenied", "Access Denied")
    elif r < 0.975:
        name = "HeadObject"
    elif r < 0.99:
        name = "DeleteObject"
    else:
        name = "CopyObject"
    extra = {"x-amz-copy-source": f"{bucket}/{key}.tmp"} if name == "CopyObject" else None
    return s3_object_event(w, t, actor, name, bucket, key, region="us-east-1", error=err, req_extra=extra)


def bg_log_delivery(w, t, region):
    """VPC flow logs / ALB logs written by delivery.logs.amazonaws.com (a data event on the log bucket)."""
    rng = w.rng
    actor = Actor(aws_service("delivery.logs.amazonaws.com"), ["delivery.logs.amazonaws.com"],
                  ["delivery.logs.amazonaws.com"], kind="svc")
    stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(t))
    key = (f"AWSLogs/{ACCOUNT}/vpcflowlogs/{region}/{time.strftime('%Y/%m/%d', time.gmtime(t))}/"
           f"{ACCOUNT}_vpcflowlogs_{region}_fl-0{rng.getrandbits(40):010x}_{stamp}_{rng.getrandbits(32):08x}.log.gz")
    err = ("AccessDenied", "Access Denied") if rng.random() < 0.05 else None
    return s3_object_event(w, t, actor, "PutObject", "vpc-flow-logs-123456789012", key, region="us-east-1",
                           error=err, req_extra={"x-amz-acl": "bucket-owner-full-control"},
                           ua="delivery.logs.amazonaws.com", ip="delivery.logs.amazonaws.com")


def bg_invoke(w, t, region):
    rng = w.rng
    fn = rng.choice(w.functions[:4])
    if rng.random() < 0.6:
        svc = rng.choice(["apigateway.amazonaws.com", "events.amazonaws.com", "sqs.amazonaws.com"])
        actor = Actor(aws_service(svc), [svc], [svc], kind="svc")
    else:
        actor = rng.choice(w.apps + w.lambdas)
    return make(w, t, actor, "lambda.amazonaws.com", "Invoke", region, req={"functionName": fn_arn(fn, region)},
                category="Data", version="1.10",
                extra={"additionalEventData": {"functionVersion": fn_arn(fn, region) + ":$LATEST"}},
                resources=[{"accountId": ACCOUNT, "type": "AWS::Lambda::Function", "ARN": fn_arn(fn, region)}])


def bg_service(w, t, region):
    """AWS services acting for the account: KMS by S3, STS by Lambda/EC2, CloudTrail ACL checks, Config."""
    rng = w.rng
    r = rng.random()
    if r < 0.35:
        svc = rng.choice(["s3.amazonaws.com", "secretsmanager.amazonaws.com", "lambda.amazonaws.com"])
        actor = Actor(aws_service(svc), [svc], [svc], kind="svc")
        name = rng.choice(["Decrypt", "GenerateDataKey", "Decrypt"])
        key = rng.choice(w.kms_keys)
        return make(w, t, actor, "kms.amazonaws.com", name, region,
                    req={"keyId": f"arn:aws:kms:{region}:{ACCOUNT}:key/{key}", "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                         "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{rng.choice(w.buckets)}/"}},
                    read_only=True,
                    resources=[{"accountId": ACCOUNT, "type": "AWS::KMS::Key",
                                "ARN": f"arn:aws:kms:{region}:{ACCOUNT}:key/{key}"}])
    if r < 0.65:
        if rng.random() < 0.5:
            fn = rng.choice(w.functions)
            svc, role, session = "lambda.amazonaws.com", fn + "-exec", fn
        else:
            svc, role, session = "ec2.amazonaws.com", "orders-app-instance-role", rng.choice(w.instances)
        actor = Actor(aws_service(svc), [svc], [svc], kind="svc")
        return make(w, t, actor, "sts.amazonaws.com", "AssumeRole", region,
                    req={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "roleSessionName": session},
                    resp={"credentials": {"accessKeyId": _key(rng, "ASIA"), "sessionToken": "<redacted>",
                                          "expiration": "Mar 3, 2025, 9:00:00 PM"}},
                    read_only=True,
                    resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role",
                                "ARN": f"arn:aws:iam::{ACCOUNT}:role/{role}"}])
    if r < 0.8:
        actor = Actor(aws_service("cloudtrail.amazonaws.com"), ["cloudtrail.amazonaws.com"],
                      ["cloudtrail.amazonaws.com"], kind="svc")
        return s3_bucket_event(w, t, actor, "GetBucketAcl", w.log_bucket, req_extra={"acl": ""}, read_only=True,
                               ua="cloudtrail.amazonaws.com", ip="cloudtrail.amazonaws.com")
    actor = rng.choice(list(w.service_roles.values()))
    name = rng.choice(["DescribeInstances", "DescribeSecurityGroups", "DescribeNetworkInterfaces"])
    return make(w, t, actor, "ec2.amazonaws.com", name, region, req={"filterSet": {}}, read_only=True)


def bg_log_stream(w, t, region):
    rng = w.rng
    actor = rng.choice(w.lambdas)
    fn = actor.name
    return make(w, t, actor, "logs.amazonaws.com", "CreateLogStream", region,
                req={"logGroupName": f"/aws/lambda/{fn}",
                     "logStreamName": f"{time.strftime('%Y/%m/%d', time.gmtime(t))}/[$LATEST]{rng.getrandbits(128):032x}"},
                ua=fill_ua(rng.choice(actor.uas), "cloudwatch-logs", ""))


def bg_console_login(w, t, region):
    rng = w.rng
    if rng.random() < 0.7:
        actor = rng.choice(w.sso)
        ip = OFFICE_IP if rng.random() < 0.6 else (VPN_IP if rng.random() < 0.75 else rng.choice(HOME_IPS))
        return console_login(w, t, actor, ok=True, mfa="No", ip=ip)
    actor = rng.choice(w.people)
    ok = rng.random() > 0.08
    ip = OFFICE_IP if rng.random() < 0.7 else (VPN_IP if rng.random() < 0.8 else rng.choice(HOME_IPS))
    return console_login(w, t, actor, ok=ok, mfa="Yes", ip=ip)


def _change(w, t, actor, source, name, region, req, resp=None, resources=None):
    rng = w.rng
    svc = source.split(".", 1)[0]
    ua = cli_ua(actor, rng, f"{svc}.{kebab(name)}")
    return make(w, t, actor, source, name, region, req=req, resp=resp, resources=resources, ua=ua,
                error=_maybe_denied(w, actor, source, name))


def bg_change(w, t, region):
    """Benign write activity from deploy pipelines and operators, including rule-relevant changes."""
    rng = w.rng
    actor = w.ci if rng.random() < 0.6 else rng.choice(w.people + w.sso[:1] + w.sso[2:3])
    k = rng.random()
    inst = rng.choice(w.instances)
    if k < 0.16:
        return _change(w, t, actor, "ec2.amazonaws.com", "CreateTags", region,
                       {"resourcesSet": {"items": [{"resourceId": inst}]},
                        "tagSet": {"items": [{"key": "team", "value": rng.choice(["orders", "web", "data"])}]}})
    if k < 0.24:
        return run_instances(w, t, actor, rng.choice(["t3.micro", "t3.small", "m5.large", "c6i.xlarge", "t4g.medium"]),
                             region)
    if k < 0.30:
        name = rng.choice(["StartInstances", "StopInstances", "TerminateInstances", "RebootInstances"])
        return _change(w, t, actor, "ec2.amazonaws.com", name, region,
                       {"instancesSet": {"items": [{"instanceId": inst}]}})
    if k < 0.36:
        name = rng.choice(["AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "CreateSecurityGroup",
                           "AuthorizeSecurityGroupEgress"])
        req = {"groupId": rng.choice(w.sgs), "ipPermissions": {"items": [
            {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": {},
             "ipRanges": {"items": [{"cidrIp": "10.0.0.0/16"}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}}
        if name == "CreateSecurityGroup":
            req = {"groupName": f"svc-{rng.getrandbits(24):06x}", "groupDescription": "managed by terraform",
                   "vpcId": rng.choice(w.vpcs)}
        return _change(w, t, actor, "ec2.amazonaws.com", name, region, req)
    if k < 0.42:
        name = rng.choice(["CreateRoute", "ReplaceRoute", "CreateRouteTable", "AssociateRouteTable",
                           "CreateNetworkAclEntry", "CreateVpc", "CreateSubnet", "ModifyVpcAttribute",
                           "CreateInternetGateway", "AttachInternetGateway"])
        req = {"routeTableId": rng.choice(w.route_tables), "destinationCidrBlock": "10.64.0.0/16",
               "transitGatewayId": f"tgw-0{rng.getrandbits(64):016x}"}
        if "Vpc" in name or "Subnet" in name or "Gateway" in name or "Acl" in name:
            req = {"vpcId": rng.choice(w.vpcs)}
        return _change(w, t, actor, "ec2.amazonaws.com", name, region, req)
    if k < 0.52:
        name = rng.choice(["CreateRole", "PutRolePolicy", "AttachRolePolicy", "CreatePolicyVersion", "TagRole",
                           "UpdateAssumeRolePolicy"])
        fn = rng.choice(w.functions)
        req = {"roleName": f"{fn}-exec"}
        if name == "AttachRolePolicy":
            req["policyArn"] = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        elif name == "PutRolePolicy":
            req.update({"policyName": "s3-access", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":"
                        "[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::orders-data-123456789012/*\"}]}"})
        elif name == "CreatePolicyVersion":
            req = {"policyArn": f"arn:aws:iam::{ACCOUNT}:policy/orders-read", "setAsDefault": True,
                   "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}
        return _change(w, t, actor, "iam.amazonaws.com", name, "us-east-1", req)
    if k < 0.64:
        fn = rng.choice(w.functions[:4])
        name = rng.choice(["UpdateFunctionCode20150331v2", "UpdateFunctionConfiguration20150331v2",
                           "PublishVersion20150331", "UpdateAlias20150331", "TagResource20170331v2"])
        req = {"functionName": fn}
        resp = lambda_config(w, fn, region) if name.startswith("UpdateFunction") else None
        deployer = w.ci if rng.random() < 0.85 else actor
        return _change(w, t, deployer, "lambda.amazonaws.com", name, region, req, resp=resp)
    if k < 0.74:
        fn = rng.choice(w.functions)
        name = rng.choice(["CreateLogGroup", "PutRetentionPolicy", "PutRetentionPolicy", "DeleteLogGroup"])
        group = f"/aws/lambda/{fn}" if name != "DeleteLogGroup" else f"/aws/lambda/{fn}-pr-{rng.randrange(100, 999)}"
        req = {"logGroupName": group}
        if name == "PutRetentionPolicy":
            req["retentionInDays"] = rng.choice([14, 30, 90])
        return _change(w, t, actor, "logs.amazonaws.com", name, region, req)
    if k < 0.82:
        name = rng.choice(["PutBucketTagging", "PutBucketEncryption", "PutBucketPolicy", "CreateBucket",
                           "PutBucketLifecycle", "PutBucketVersioning"])
        bucket = rng.choice(w.buckets) if name != "CreateBucket" else f"tmp-{rng.getrandbits(32):08x}-{ACCOUNT}"
        extra = {"x-amz-acl": ["private"]} if name == "CreateBucket" else {name[9:].lower(): ""}
        if name == "PutBucketVersioning":
            extra["VersioningConfiguration"] = {"Status": "Enabled", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}
        return s3_bucket_event(w, t, actor, name, bucket, req_extra=extra)
    if k < 0.90:
        return _change(w, t, actor, "ssm.amazonaws.com", "PutParameter", region,
                       {"name": f"/orders/prod/flag-{rng.randrange(1, 20)}", "type": "String", "overwrite": True})
    if k < 0.95:
        return _change(w, t, actor, "secretsmanager.amazonaws.com", "PutSecretValue", region,
                       {"secretId": "prod/orders/api-token", "clientRequestToken": w.uuid()})
    if k < 0.97:
        return _change(w, t, actor, "kms.amazonaws.com", rng.choice(["CreateKey", "EnableKeyRotation", "TagResource"]),
                       region, {"keyId": rng.choice(w.kms_keys)})
    if k < 0.98:
        return _change(w, t, w.ci, "config.amazonaws.com", "PutConfigurationRecorder", region,
                       {"configurationRecorder": {"name": "default",
                                                  "roleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
                                                  "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}})
    if k < 0.99:
        return _change(w, t, w.ci, "ec2.amazonaws.com", "CreateFlowLogs", region,
                       {"CreateFlowLogsRequest": {"ResourceId": {"tag": 1, "content": rng.choice(w.vpcs)},
                                                  "ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "s3"}})
    return _change(w, t, rng.choice(w.people), "iam.amazonaws.com", "CreateAccessKey", "us-east-1",
                   {"userName": actor.name if actor.kind == "cli" else "alice"})


BACKGROUND = [
    (27.0, bg_s3_data), (3.0, bg_log_delivery), (5.0, bg_invoke), (21.0, bg_service), (33.0, bg_read),
    (2.0, bg_log_stream), (0.25, bg_console_login), (4.0, bg_change),
]
BG_FUNCS = [f for _, f in BACKGROUND]
BG_CUM = []
_acc = 0.0
for _wgt, _ in BACKGROUND:
    _acc += _wgt
    BG_CUM.append(_acc)


# --------------------------------------------------------------------------------------------------
# Attack stories: (fraction of the time span, builder returning [(offset_seconds, record_fn)]).
def story_recon_and_key(w):
    a = w.compromised
    steps = [(0, lambda t: make(w, t, a, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1",
                                ua=cli_ua(a, w.rng, "sts.get-caller-identity"), read_only=True)),
             (9, lambda t: make(w, t, a, "iam.amazonaws.com", "ListUsers", "us-east-1",
                                ua=cli_ua(a, w.rng, "iam.list-users"), read_only=True)),
             (15, lambda t: make(w, t, a, "iam.amazonaws.com", "ListAttachedUserPolicies", "us-east-1",
                                 req={"userName": "svc-backup"}, read_only=True, ua=cli_ua(a, w.rng, "iam.list-attached-user-policies"))),
             (21, lambda t: make(w, t, a, "organizations.amazonaws.com", "DescribeOrganization", "us-east-1",
                                 read_only=True, ua=cli_ua(a, w.rng, "organizations.describe-organization"),
                                 error=("AccessDenied", "You don't have permissions to access this resource."))),
             (30, lambda t: make(w, t, a, "ec2.amazonaws.com", "DescribeInstances", "us-east-1", read_only=True,
                                 req={"instancesSet": {}, "filterSet": {}}, ua=cli_ua(a, w.rng, "ec2.describe-instances"),
                                 error=("Client.UnauthorizedOperation", "You are not authorized to perform this operation."))),
             (44, lambda t: make(w, t, a, "iam.amazonaws.com", "CreateUser", "us-east-1",
                                 req={"userName": "backup-sync"}, ua=cli_ua(a, w.rng, "iam.create-user"),
                                 resp={"user": {"path": "/", "userName": "backup-sync", "userId": _pid(w.rng, "AIDA"),
                                                "arn": f"arn:aws:iam::{ACCOUNT}:user/backup-sync",
                                                "createDate": "Mar 3, 2025, 9:02:11 AM"}})),
             (52, lambda t: make(w, t, a, "iam.amazonaws.com", "CreateAccessKey", "us-east-1",
                                 req={"userName": "backup-sync"}, ua=cli_ua(a, w.rng, "iam.create-access-key"),
                                 resp={"accessKey": {"accessKeyId": _key(w.rng, "AKIA"), "status": "Active",
                                                     "userName": "backup-sync", "createDate": "Mar 3, 2025, 9:02:19 AM"}}))]
    return steps


def story_iam_policy(w):
    a = w.compromised
    doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"
    return [(0, lambda t: make(w, t, a, "iam.amazonaws.com", "PutUserPolicy", "us-east-1",
                               req={"userName": "svc-backup", "policyName": "backup-maintenance", "policyDocument": doc},
                               ua=cli_ua(a, w.rng, "iam.put-user-policy"))),
            (12, lambda t: make(w, t, a, "iam.amazonaws.com", "AttachUserPolicy", "us-east-1",
                                req={"userName": "backup-sync", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
                                ua=cli_ua(a, w.rng, "iam.attach-user-policy")))]


def story_console_unknown_ip(w):
    a = w.compromised
    return [(0, lambda t: make(w, t, a, "iam.amazonaws.com", "CreateLoginProfile", "us-east-1",
                               req={"userName": "svc-backup", "passwordResetRequired": False},
                               resp={"loginProfile": {"userName": "svc-backup", "createDate": "Mar 3, 2025, 9:20:40 AM",
                                                      "passwordResetRequired": False}},
                               ua=cli_ua(a, w.rng, "iam.create-login-profile"))),
            (70, lambda t: console_login(w, t, a, ok=False, mfa="No", ip=ATTACKER_IP2, ua=UA_BROWSER)),
            (95, lambda t: console_login(w, t, a, ok=True, mfa="No", ip=ATTACKER_IP2, ua=UA_BROWSER))]


def story_security_group(w):
    a = w.compromised
    sg = w.sgs[0]
    return [(0, lambda t: make(w, t, a, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "us-east-1",
                               req={"groupId": sg, "ipPermissions": {"items": [
                                   {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "groups": {},
                                    "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}},
                               resp={"requestId": w.uuid(), "_return": True, "securityGroupRuleSet": {"items": [
                                   {"groupOwnerId": ACCOUNT, "groupId": sg, "securityGroupRuleId": f"sgr-0{w.rng.getrandbits(64):016x}",
                                    "isEgress": False, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}]}},
                               ua=cli_ua(a, w.rng, "ec2.authorize-security-group-ingress"))),
            (20, lambda t: make(w, t, a, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "us-east-1",
                                req={"groupId": sg, "ipPermissions": {"items": [
                                    {"ipProtocol": "-1", "groups": {}, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                                     "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}, "prefixListIds": {}}]}},
                                ua=cli_ua(a, w.rng, "ec2.authorize-security-group-ingress")))]


def story_large_instances(w):
    a = w.compromised

    def launch(itype, region, count, error=None):
        return lambda t: run_instances(w, t, a, itype, region, count=count, error=error,
                                       ua=cli_ua(a, w.rng, "ec2.run-instances"))
    return [(0, launch("p4d.24xlarge", "us-east-1", 2)),
            (14, launch("g5.48xlarge", "us-east-1", 4, ("Client.VcpuLimitExceeded",
                                                        "You have requested more vCPU capacity than your current vCPU limit of 64 allows for the instance bucket that the specified instance type belongs to."))),
            (40, launch("c5.24xlarge", "us-west-2", 8, ("Server.InsufficientInstanceCapacity",
                                                        "We currently do not have sufficient c5.24xlarge capacity in the Availability Zone you requested (us-west-2b)."))),
            (55, launch("p3.16xlarge", "eu-west-1", 2)),
            (70, launch("c6i.32xlarge", "ap-northeast-1", 4))]


def story_lambda_backdoor(w):
    a = w.compromised
    fn = "orders-api"
    return [(0, lambda t: make(w, t, a, "lambda.amazonaws.com", "GetFunction20150331v2", "us-east-1",
                               req={"functionName": fn}, read_only=True, ua=cli_ua(a, w.rng, "lambda.get-function"))),
            (35, lambda t: make(w, t, a, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "us-east-1",
                                req={"functionName": fn, "publish": False, "dryRun": False, "zipFile": "<Binary Data>"},
                                resp=lambda_config(w, fn), ua=cli_ua(a, w.rng, "lambda.update-function-code"))),
            (50, lambda t: make(w, t, a, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "us-east-1",
                                req={"functionName": fn, "environment": {}},
                                resp=lambda_config(w, fn, timeout=900), ua=cli_ua(a, w.rng, "lambda.update-function-configuration"))),
            (64, lambda t: make(w, t, a, "lambda.amazonaws.com", "Invoke", "us-east-1", req={"functionName": fn_arn(fn)},
                                category="Data", version="1.10", ua=cli_ua(a, w.rng, "lambda.invoke"),
                                extra={"additionalEventData": {"functionVersion": fn_arn(fn) + ":$LATEST"}},
                                resources=[{"accountId": ACCOUNT, "type": "AWS::Lambda::Function", "ARN": fn_arn(fn)}])),
            (80, lambda t: make(w, t, a, "lambda.amazonaws.com", "DeleteFunction20150331", "us-east-1",
                                req={"functionName": "audit-forwarder"}, ua=cli_ua(a, w.rng, "lambda.delete-function")))]


def story_s3_ransom(w):
    a = w.compromised
    bucket = "finance-reports-123456789012"
    keys = [f"reports/2024/{m:02d}/statement-{i:03d}.pdf" for m in range(1, 13) for i in range(3)]
    steps = [(0, lambda t: s3_bucket_event(w, t, a, "PutBucketVersioning", bucket,
                                           req_extra={"versioning": "", "VersioningConfiguration": {
                                               "Status": "Suspended", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}})),
             (8, lambda t: s3_bucket_event(w, t, a, "PutBucketPolicy", bucket, req_extra={"policy": "", "bucketPolicy": {
                 "Version": "2012-10-17", "Statement": [{"Sid": "sync", "Effect": "Allow",
                                                         "Principal": {"AWS": f"arn:aws:iam::{FOREIGN_ACCOUNT}:root"},
                                                         "Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}",
                                                                                        f"arn:aws:s3:::{bucket}/*"]}]}}))]
    off = 30
    for k in keys[:12]:
        steps.append((off, lambda t, k=k: s3_object_event(w, t, a, "GetObject", bucket, k, ua="[" + cli_ua(a, w.rng, "s3.sync") + "]")))
        off += 2
    for k in keys:
        steps.append((off, lambda t, k=k: s3_object_event(w, t, a, "DeleteObject", bucket, k, ua="[" + cli_ua(a, w.rng, "s3.rm") + "]")))
        off += 1
    steps.append((off + 3, lambda t: s3_object_event(w, t, a, "DeleteObjects", bucket, "", req_extra={"delete": ""},
                                                     ua="[" + cli_ua(a, w.rng, "s3.rm") + "]")))
    steps.append((off + 20, lambda t: s3_object_event(w, t, a, "PutObject", bucket, "README_RESTORE_FILES.txt",
                                                      ua="[" + cli_ua(a, w.rng, "s3.cp") + "]")))
    steps.append((off + 40, lambda t: s3_bucket_event(w, t, a, "DeleteBucket", "build-artifacts-123456789012",
                                                      error=("BucketNotEmpty", "The bucket you tried to delete is not empty"))))
    return steps


def story_defense_evasion(w):
    a = w.compromised

    def call(source, name, region="us-east-1", req=None, error=None, cmd=None):
        return lambda t: make(w, t, a, source, name, region, req=req, error=error,
                              ua=cli_ua(a, w.rng, cmd or f"{source.split('.')[0]}.{kebab(name)}"))
    return [(0, call("guardduty.amazonaws.com", "UpdateDetector", req={"detectorId": w.detector, "enable": False})),
            (20, call("securityhub.amazonaws.com", "DisableSecurityHub")),
            (35, call("config.amazonaws.com", "StopConfigurationRecorder", req={"configurationRecorderName": "default"})),
            (50, call("ec2.amazonaws.com", "DeleteFlowLogs",
                      req={"DeleteFlowLogsRequest": {"FlowLogId": {"tag": 1, "content": f"fl-0{w.rng.getrandbits(64):016x}"}}})),
            (62, call("logs.amazonaws.com", "DeleteMetricFilter",
                      req={"logGroupName": w.log_group, "filterName": "CloudTrailLoggingStopped"})),
            (75, call("kms.amazonaws.com", "ScheduleKeyDeletion", req={"keyId": w.kms_keys[0], "pendingWindowInDays": 7})),
            (90, call("organizations.amazonaws.com", "LeaveOrganization",
                      error=("AccessDenied", "You don't have permissions to access this resource."))),
            (104, call("cloudtrail.amazonaws.com", "PutEventSelectors", req={"trailName": w.trail_arn, "eventSelectors": [
                {"readWriteType": "ReadOnly", "includeManagementEvents": False, "dataResources": [],
                 "excludeManagementEventSources": []}]}))]


def story_trail(w):
    a = w.compromised
    bob = w.people[1]
    return [(0, lambda t: make(w, t, bob, "cloudtrail.amazonaws.com", "StopLogging", "us-east-1", req={"name": w.trail_arn},
                               ua=cli_ua(a, w.rng, "cloudtrail.stop-logging"), ip=ATTACKER_IP,
                               error=("AccessDenied", f"User: {bob.ident['arn']} is not authorized to perform: cloudtrail:StopLogging"))),
            (30, lambda t: make(w, t, a, "cloudtrail.amazonaws.com", "UpdateTrail", "us-east-1",
                                req={"name": w.trail_arn, "s3BucketName": "log-archive-upload-7731"},
                                ua=cli_ua(a, w.rng, "cloudtrail.update-trail"))),
            (60, lambda t: make(w, t, a, "cloudtrail.amazonaws.com", "StopLogging", "us-east-1", req={"name": w.trail_arn},
                                ua=cli_ua(a, w.rng, "cloudtrail.stop-logging"))),
            (75, lambda t: make(w, t, a, "cloudtrail.amazonaws.com", "DeleteTrail", "us-east-1", req={"name": w.trail_arn},
                                ua=cli_ua(a, w.rng, "cloudtrail.delete-trail")))]


def story_root_login(w):
    r = w.root
    login_at = 40

    def session(t, offset):
        """The root console session created by the sign-in at login_at."""
        ident = dict(r.ident, sessionContext={"sessionIssuer": {}, "webIdFederationData": {},
                                              "attributes": {"creationDate": iso(t - offset + login_at),
                                                             "mfaAuthenticated": "false"}})
        return Actor(ident, r.ips, r.uas, console=True, kind="root", name="root")

    return [(0, lambda t: console_login(w, t, r, ok=False, mfa="No", ip=ROOT_IP)),
            (login_at, lambda t: console_login(w, t, r, ok=True, mfa="No", ip=ROOT_IP)),
            (70, lambda t: make(w, t, session(t, 70), "iam.amazonaws.com", "ListUsers", "us-east-1", read_only=True,
                                ua=UA_CONSOLE)),
            (95, lambda t: make(w, t, session(t, 95), "iam.amazonaws.com", "CreateAccessKey", "us-east-1", ua=UA_CONSOLE,
                                resp={"accessKey": {"accessKeyId": _key(w.rng, "AKIA"), "status": "Active",
                                                    "createDate": time.strftime("%b %d, %Y, %I:%M:%S %p", time.gmtime(t))}})),
            (120, lambda t: make(w, t, session(t, 120), "guardduty.amazonaws.com", "DeleteDetector", "us-east-1",
                                 req={"detectorId": w.detector}, ua=UA_CONSOLE))]


STORIES = [(0.12, story_recon_and_key), (0.20, story_iam_policy), (0.28, story_console_unknown_ip),
           (0.35, story_security_group), (0.45, story_large_instances), (0.55, story_lambda_backdoor),
           (0.65, story_s3_ransom), (0.75, story_defense_evasion), (0.85, story_root_login), (0.92, story_trail)]


# --------------------------------------------------------------------------------------------------
def parse_time(text):
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1]
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return calendar.timegm(time.strptime(text, fmt))
        except ValueError:
            pass
    raise SystemExit(f"--start: cannot parse {text!r} (use e.g. 2025-03-03T08:00:00Z)")


def generate(seed, events, start, days, stories=True):
    """Yield records in eventTime order."""
    rng = random.Random(seed)
    w = World(rng, start)
    span = max(60.0, days * 86400.0)
    planned = []
    if stories:
        for frac, builder in STORIES:
            steps = builder(w)
            if len(planned) + len(steps) > events:
                break
            base = start + frac * span + rng.random() * min(120.0, span / 100)
            planned.extend((base + off, fn) for off, fn in steps)
    n_bg = events - len(planned)
    times = sorted(start + rng.random() * span for _ in range(n_bg))
    planned.sort(key=lambda p: p[0])
    si = 0
    regions, weights = REGIONS, REGION_WEIGHTS
    region_cum = [sum(weights[:i + 1]) for i in range(len(weights))]
    total_w = BG_CUM[-1]
    for t in times:
        while si < len(planned) and planned[si][0] <= t:
            yield planned[si][1](planned[si][0])
            si += 1
        region = regions[bisect.bisect_left(region_cum, rng.random() * region_cum[-1])]
        fn = BG_FUNCS[bisect.bisect_left(BG_CUM, rng.random() * total_w)]
        yield fn(w, t, region)
    while si < len(planned):
        yield planned[si][1](planned[si][0])
        si += 1


def _open_out(path, compress):
    if path == "-":
        return sys.stdout.buffer, None
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    raw = open(path, "wb")
    if compress:
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6), raw
    return raw, raw


def write_stream(records, path, compress, wrap):
    out, raw = _open_out(path, compress)
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    sep = b"," if wrap else b"\n"
    chunk, n = [], 0
    if wrap:
        out.write(b'{"Records":[')
    for rec in records:
        chunk.append(dumps(rec).encode("utf-8"))
        n += 1
        if len(chunk) == 2000:
            out.write((sep if wrap and n > 2000 else b"") + sep.join(chunk) + (b"" if wrap else b"\n"))
            chunk = []
    if chunk:
        out.write((sep if wrap and n > len(chunk) else b"") + sep.join(chunk) + (b"" if wrap else b"\n"))
    if wrap:
        out.write(b"]}\n")
    out.flush()
    if raw is not None:
        if out is not raw:
            out.close()
        raw.close()
    return n


def write_s3(records, root, rng_seed):
    """CloudTrail S3 layout: one gzip delivery file per region per 5-minute batch."""
    names = random.Random(rng_seed ^ 0x5EED)
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    pending = {}   # region -> (window, [json])
    files = n = 0

    def flush(region, window, items):
        stamp = time.gmtime((window + 1) * BATCH_SECONDS)
        day = time.strftime("%Y/%m/%d", stamp)
        suffix = "".join(names.choice(ALNUM) for _ in range(16))
        name = f"{ACCOUNT}_CloudTrail_{region}_{time.strftime('%Y%m%dT%H%MZ', stamp)}_{suffix}.json.gz"
        d = os.path.join(root, "AWSLogs", ACCOUNT, "CloudTrail", region, day)
        os.makedirs(d, exist_ok=True)
        body = b'{"Records":[' + b",".join(items) + b"]}"
        with open(os.path.join(d, name), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
                gz.write(body)

    for rec in records:
        t = calendar.timegm(time.strptime(rec["eventTime"], "%Y-%m-%dT%H:%M:%SZ"))
        window = int(t // BATCH_SECONDS)
        region = rec["awsRegion"]
        cur = pending.get(region)
        if cur is not None and cur[0] != window:
            flush(region, cur[0], cur[1])
            files += 1
            cur = None
        if cur is None:
            cur = pending[region] = (window, [])
        cur[1].append(dumps(rec).encode("utf-8"))
        n += 1
    for region in sorted(pending):
        window, items = pending[region]
        flush(region, window, items)
        files += 1
    return n, files


def main(argv=None):
    ap = argparse.ArgumentParser(description="Seeded generator of synthetic CloudTrail records.")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--events", type=int, required=True)
    ap.add_argument("--format", choices=["ndjson", "records", "s3"], required=True)
    ap.add_argument("--out", required=True, help="output file (ndjson, records; - for stdout) or directory (s3)")
    ap.add_argument("--gzip", action="store_true", help="gzip the ndjson/records output (s3 files always are)")
    ap.add_argument("--start", default=DEFAULT_START, help=f"first possible eventTime (default {DEFAULT_START})")
    ap.add_argument("--days", type=float, default=None,
                    help=f"length of the time span in days (default events / {RATE_PER_DAY}, at least 1/24)")
    ap.add_argument("--no-stories", action="store_true", help="background traffic only")
    args = ap.parse_args(argv)
    if args.events < 0:
        ap.error("--events must be >= 0")
    days = args.days if args.days is not None else max(args.events / RATE_PER_DAY, 1 / 24)
    if days <= 0:
        ap.error("--days must be > 0")
    records = generate(args.seed, args.events, parse_time(args.start), days, stories=not args.no_stories)
    t0 = time.time()
    if args.format == "s3":
        n, files = write_s3(records, args.out, args.seed)
        what = f"{n} records in {files} files under {args.out}"
    else:
        compress = args.gzip or args.out.endswith(".gz")
        n = write_stream(records, args.out, compress, wrap=args.format == "records")
        what = f"{n} records to {args.out}"
    print(f"gen_cloudtrail: {what} ({time.time() - t0:.1f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:          # e.g. piped into head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
