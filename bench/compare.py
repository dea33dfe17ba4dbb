#!/usr/bin/env python3
"""Times cwlf beside jq, CPython's json module and a parse-only simdjson
program on the same generated CloudTrail file, after checking that all of them
give the same answer, and prints the ratios. Single core means pinned to one
CPU with taskset (cwlf --threads 1 then runs its reading and matching threads
on that one core); "both cores" is cwlf unpinned with its default threads.

usage: /usr/bin/python3 bench/compare.py [--mb 200] [--build build] [--runs 3]

The file is made by tools/gen_cloudtrail.py (seed 11) and cached in the build
directory. Results go to stdout and to bench/results/compare-<date>.json.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

RULE_NAME = "ConsoleLogin"
RULE = '{ $.eventName = "ConsoleLogin" }'


PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []


def timed(cmd, runs, pin=True, **kw):
    cmd = (PIN if pin else []) + cmd
    best, out = None, None
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, **kw)
        elapsed = time.perf_counter() - t
        if p.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd[:4])} failed: {p.stderr[:500]}")
        best = elapsed if best is None else min(best, elapsed)
        out = p.stdout
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = os.path.join(root, args.build)
    cwlf = os.path.join(build, "cwlf")
    floor = os.path.join(build, "bench", "cwlf_floor")
    for tool in (cwlf, floor):
        if not os.path.exists(tool):
            sys.exit(f"missing {tool}: build first (scripts/build.sh)")
    events = args.mb * 1000 * 1000 // 1400  # ~1.4 KB per generated record
    data = os.path.join(build, f"compare-{args.mb}mb.ndjson")
    if not os.path.exists(data):
        print(f"generating {data} ({events} events)...", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(root, "tools", "gen_cloudtrail.py"), "--seed", "11",
                        "--events", str(events), "--format", "ndjson", "--out", data], check=True)
    size = os.path.getsize(data)
    tmp = tempfile.mkdtemp(prefix="cwlf-compare-")
    pack = os.path.join(tmp, "one.json")
    with open(pack, "w") as f:
        json.dump({"name": "one", "rules": [{"id": "one", "filterPattern": RULE}]}, f)
    pyprog = ("import json,sys\nn=0\nfor line in open(sys.argv[1],'rb'):\n"
              "    e=json.loads(line)\n    n+=isinstance(e,dict) and e.get('eventName')=='%s'\nprint(n)\n" % RULE_NAME)

    results = {}
    t, out = timed([floor, data, RULE_NAME], args.runs)
    floor_count = int(out.split()[0])
    results["simdjson parse-only floor"] = (t, floor_count)
    t, out = timed([cwlf, "scan", "--pack", pack, "--threads", "1", "--summary", "json", "--no-progress", data], args.runs)
    results["cwlf scan, one rule"] = (t, json.loads(out)["rules"]["one"])
    t, out = timed([cwlf, "scan", "--threads", "1", "--summary", "json", "--no-progress", data], args.runs)
    summary = json.loads(out)
    results["cwlf scan, built-in pack (35 rules)"] = (t, sum(summary["rules"].values()))
    t2, out = timed([cwlf, "scan", "--summary", "json", "--no-progress", data], args.runs, pin=False)
    results["cwlf scan, built-in pack, both cores"] = (t2, sum(json.loads(out)["rules"].values()))
    if shutil.which("jq"):
        t, out = timed(["sh", "-c", f"jq -c 'select(.eventName == \"{RULE_NAME}\")' {data} | wc -l"], 1)
        results["jq, one rule"] = (t, int(out.strip()))
    t, out = timed([sys.executable, "-c", pyprog, data], 1)
    results["CPython json, one rule"] = (t, int(out.strip()))

    one = results["cwlf scan, one rule"]
    for name in ("jq, one rule", "CPython json, one rule", "simdjson parse-only floor"):
        if name in results and results[name][1] != one[1]:
            sys.exit(f"answers differ: {name} found {results[name][1]}, cwlf {one[1]}")
    print(f"{size / 1e6:.0f} MB, {events} events; rule {RULE}: {one[1]} matches (all tools agree)")
    for name, (t, count) in results.items():
        print(f"  {name:40} {t:7.2f} s  {size / t / 1e6:8.1f} MB/s")
    ratios = {
        "pack throughput / floor throughput": results["simdjson parse-only floor"][0] / results["cwlf scan, built-in pack (35 rules)"][0],
        "jq time / cwlf one-rule time": results.get("jq, one rule", (float("nan"),))[0] / one[0],
        "CPython time / cwlf one-rule time": results["CPython json, one rule"][0] / one[0],
    }
    for k, v in ratios.items():
        print(f"  {k}: {v:.2f}")
    out_dir = os.path.join(root, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    record = {"date": datetime.date.today().isoformat(), "machine": platform.platform(), "cpus": os.cpu_count(),
              "bytes": size, "events": events, "rule": RULE, "pinned": " ".join(PIN) or "no taskset",
              "seconds": {k: v[0] for k, v in results.items()}, "ratios": ratios}
    with open(os.path.join(out_dir, f"compare-{record['date']}.json"), "w") as f:
        json.dump(record, f, indent=2)


if __name__ == "__main__":
    main()
