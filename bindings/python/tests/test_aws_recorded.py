"""Every filter row of shared/spec/aws-recorded.jsonl (answers recorded from
AWS TestMetricFilter) reproduced through cwlf.test_metric_filter, every
difference listed in one failure. Skipped when shared/ is absent; not the C++
conformance test (that one drives the CLI).
"""

import collections
import json

import pytest

import cwlf


def _groups(shared_dir):
    path = shared_dir / "spec" / "aws-recorded.jsonl"
    if not path.is_file():
        return None
    groups = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if row["lang"] == "filter":
                    groups.setdefault(row["pattern"], []).append(row)
    return groups


@pytest.fixture(scope="module")
def recorded(shared_dir):
    groups = _groups(shared_dir)
    if groups is None:
        pytest.skip(f"no aws-recorded.jsonl under {shared_dir}")
    return groups


def test_recorded_file_has_rows(recorded):
    assert len(recorded) >= 10
    assert sum(1 for rows in recorded.values() for r in rows if r.get("extracted")) > 0


def test_every_recorded_pattern(recorded):
    failures = []
    for pattern, rows in recorded.items():
        messages = [r["event"] for r in rows]
        if any(r.get("error") for r in rows):
            try:
                cwlf.test_metric_filter(pattern, messages)
                failures.append(f"{pattern!r}: AWS rejected it, cwlf compiled it")
            except cwlf.PatternError as error:
                assert error.diagnostics and str(error)
            continue
        try:
            response = cwlf.test_metric_filter(pattern, messages)
        except cwlf.PatternError as error:
            failures.append(f"{pattern!r}: AWS accepted it, cwlf rejected it:\n{error}")
            continue
        by_number = {m["eventNumber"]: m for m in response["matches"]}
        for number, row in enumerate(rows, start=1):
            match = by_number.get(number)
            if (match is not None) != bool(row["match"]):
                failures.append(f"{pattern!r} on {row['event']!r}: match expected {row['match']}")
                continue
            if match is not None:
                assert match["eventMessage"] == row["event"]
                expected = row.get("extracted") or {}
                got = {k: match["extractedValues"].get(k) for k in expected}
                if got != {k: str(v) for k, v in expected.items()}:
                    failures.append(f"{pattern!r} on {row['event']!r}: extracted {got}, AWS {expected}")
    assert not failures, "\n".join(failures)


def test_recorded_rows_through_match_many(recorded):
    # The same answers from the batched, GIL-free loop, on bytes.
    for pattern, rows in recorded.items():
        if any(r.get("error") for r in rows):
            continue
        matcher = cwlf.Matcher(pattern)
        got = matcher.match_many([r["event"].encode() for r in rows])
        assert got == [bool(r["match"]) for r in rows], pattern
