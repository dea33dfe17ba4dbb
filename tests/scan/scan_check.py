#!/usr/bin/env python3
"""End-to-end checks of `cwlf scan`, run by ctest.

What it is for: comparing the C++ scanner's per-rule counts with independent
numbers (the expected corpus counts written by the pack's Python checker, or
that checker's own predicates run on the bundled sample), and pinning the
command's exit codes and output shapes. What it is not: a second matcher; it
never evaluates a filter pattern itself.

usage:
  scan_check.py corpus CWLF CORPUS_DIR EXPECTED_JSON
  scan_check.py sample CWLF SAMPLE_DIR CHECKER_PY
  scan_check.py cli CWLF SAMPLE_DIR
Exit status 0 when everything agrees, 1 otherwise (differences on stderr).
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def summary(cwlf, *paths):
    res = run([cwlf, "scan", "--summary", "json", *paths])
    if res.returncode != 0:
        sys.exit(f"cwlf scan exited {res.returncode}: {res.stderr}")
    return json.loads(res.stdout)


def compare(label, expected, got):
    problems = []
    for rid in list(expected) + [r for r in got if r not in expected]:
        if expected.get(rid) != got.get(rid):
            problems.append(f"{label}: {rid}: expected {expected.get(rid)}, cwlf scan {got.get(rid)}")
    for p in problems:
        print("FAIL", p, file=sys.stderr)
    return problems


def check_corpus(cwlf, corpus, expected_path):
    with open(expected_path, encoding="utf-8") as fh:
        expected = json.load(fh)
    got = summary(cwlf, corpus)
    problems = compare("corpus", expected, got["rules"])
    if list(got["rules"]) != list(expected):
        problems.append("rule order differs from the expected file")
    print(f"corpus: {got['events']} events, {len(expected)} rules, {len(problems)} differences")
    return problems


def check_sample(cwlf, sample, checker):
    res = run([sys.executable, checker, "--corpus", sample])
    if res.returncode != 0:
        return [f"the checker failed: {res.stderr}"]
    expected = json.loads(res.stdout)
    got = summary(cwlf, sample)
    problems = compare("sample", expected, got["rules"])
    if got["events"] != 5000 or got["files"] != 96 or got["malformed"] != 0:
        problems.append(f"sample totals: {got}")
    print(f"sample: {got['events']} events, {len(expected)} rules, {len(problems)} differences")
    return problems


def check_cli(cwlf, sample):
    problems = []

    def expect(name, want, have):
        if want != have:
            problems.append(f"{name}: expected {want!r}, got {have!r}")
            print("FAIL", problems[-1], file=sys.stderr)

    res = run([cwlf, "scan", "--summary", "json", sample])
    expect("summary rc", 0, res.returncode)
    doc = json.loads(res.stdout)
    expect("summary keys", ["events", "bytes", "malformed", "files", "seconds", "rules"], list(doc))
    expect("summary one line", 1, res.stdout.count("\n"))

    res = run([cwlf, "scan", sample])
    expect("table rc", 0, res.returncode)
    lines = res.stdout.splitlines()
    expect("table header", ["RULE", "SEVERITY", "MATCHES", "FIRST", "LAST"], lines[0].split())
    expect("table row", ["CloudWatch.1", "high", "5", "2025-03-03T09:43:09Z", "2025-03-03T09:45:09Z"],
           lines[1].split())
    expect("table rows", 35, lines.index("") - 1)
    totals = lines[lines.index("") + 1]
    expect("table totals", True, totals.startswith("5000 events (7.0 MB) in 96 files, 0 malformed"))

    res = run([cwlf, "scan", "--format", "jsonl", "--alarms", sample])
    expect("jsonl rc", 0, res.returncode)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    matches = [r for r in rows if "rule" in r]
    alarms = [r for r in rows if "alarm" in r]
    expect("jsonl match keys", ["rule", "file", "record", "eventTime", "eventName", "eventSource", "eventID",
                                "userIdentity.arn", "sourceIPAddress"], list(matches[0]))
    expect("jsonl matches", 1144, len(matches))
    expect("jsonl alarm keys", ["alarm", "metricName", "from", "to", "windowStart", "windowEnd", "until",
                                "datapoints", "threshold", "comparisonOperator"], list(alarms[0]))
    root = [a for a in alarms if a["alarm"] == "CloudWatch.1"]
    expect("root alarm", [("2025-03-03T09:40:00Z", "2025-03-03T09:45:00Z")],
           [(a["windowStart"], a["windowEnd"]) for a in root])
    first = matches[0]
    path = first["file"]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        record = json.load(fh)["Records"][first["record"]]
    expect("jsonl record index", (record["eventID"], record["eventTime"]), (first["eventID"], first["eventTime"]))

    # Both dialects of the built-in pack select the same events (R-I13).
    filt = run([cwlf, "scan", "--summary", "json", "--no-progress", sample])
    ins = run([cwlf, "scan", "--dialect", "insights", "--summary", "json", "--no-progress", sample])
    expect("insights rc", 0, ins.returncode)
    expect("insights counts equal filter counts", json.loads(filt.stdout)["rules"], json.loads(ins.stdout)["rules"])

    with tempfile.TemporaryDirectory() as tmp:
        bad_pack = os.path.join(tmp, "bad.json")
        with open(bad_pack, "w", encoding="utf-8") as fh:
            json.dump({"rules": [{"id": "a", "filterPattern": "{ $.x = }"},
                                 {"id": "b", "filterPattern": "{ $.y = ${nope} }"}]}, fh)
        res = run([cwlf, "scan", "--pack", bad_pack, sample])
        expect("bad pack rc", 2, res.returncode)
        expect("bad pack stdout", "", res.stdout)
        expect("bad pack names both rules", True, "bad.json#a:1:" in res.stderr and "bad.json#b:1:" in res.stderr)

        res = run([cwlf, "scan", "--param", "nope=1", sample])
        expect("bad param rc", 2, res.returncode)

        res = run([cwlf, "scan", "--format", "xml", sample])
        expect("bad argument rc", 2, res.returncode)

        ndjson = os.path.join(tmp, "events.jsonl")
        with open(ndjson, "w", encoding="utf-8") as fh:
            fh.write('{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com",'
                     '"eventTime":"2025-03-03T08:00:00Z"}\n{"broken": \n')
        res = run([cwlf, "scan", "--summary", "json", ndjson])
        expect("malformed rc", 1, res.returncode)
        expect("malformed report", f"cwlf scan: {ndjson}:2: ", res.stderr[:len(ndjson) + 15])
        doc = json.loads(res.stdout)
        expect("malformed counts", (1, 1, 1),
               (doc["events"], doc["malformed"], doc["rules"]["cloudtrail-logging-stopped"]))

        with open(ndjson, "rb") as fh:
            res = subprocess.run([cwlf, "scan", "--summary", "json", "-"], stdin=fh, capture_output=True, text=True)
        expect("stdin rc", 1, res.returncode)
        expect("stdin events", 1, json.loads(res.stdout)["events"])

        res = run([cwlf, "scan", "--summary", "json", os.path.join(tmp, "missing.json")])
        expect("missing file rc", 1, res.returncode)

        res = run([cwlf, "scan", "--param", "allowed_source_ips=192.0.2.117,192.0.2.44", "--summary", "json",
                   sample])
        expect("param rc", 0, res.returncode)
        expect("param override", 12, json.loads(res.stdout)["rules"]["console-login-outside-allowlist"])
    print(f"cli: {len(problems)} problems")
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    mode, cwlf, *rest = argv[1:]
    if mode == "corpus":
        problems = check_corpus(cwlf, *rest)
    elif mode == "sample":
        problems = check_sample(cwlf, *rest)
    elif mode == "cli":
        problems = check_cli(cwlf, *rest)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
