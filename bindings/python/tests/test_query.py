"""Query through the bindings: compile errors, run() over messages, (timestamp,
message) pairs and dicts, and the GetQueryResults shape it returns. Not a
test of Logs Insights semantics (the C++ tests cover those).
"""

import pytest

import cwlf

EVENTS = ['{"level":"error","ms":12}', '{"level":"info","ms":3}', '{"level":"error","ms":30}']


def rows_as_dicts(response):
    return [{cell["field"]: cell["value"] for cell in row} for row in response["results"]]


def test_fields_filter_stats():
    query = cwlf.Query.compile(
        'fields level, ms | filter level = "error" | stats count(*) as n, avg(ms) as avg_ms by level')
    response = query.run(EVENTS)
    assert set(response) == {"status", "results", "statistics"}
    assert response["status"] == "Complete"
    [row] = response["results"]
    assert [cell["field"] for cell in row] == ["level", "n", "avg_ms", "@ptr"]
    assert all(set(cell) == {"field", "value"} for cell in row)
    assert rows_as_dicts(response)[0] | {"@ptr": None} == {"level": "error", "n": "2", "avg_ms": "21", "@ptr": None}
    assert response["statistics"] == {
        "recordsMatched": 2.0,
        "recordsScanned": 3.0,
        "bytesScanned": float(sum(len(e) for e in EVENTS)),
    }


def test_filter_sort_rows():
    response = cwlf.Query.compile("fields level, ms | filter ms > 5 | sort ms desc").run(EVENTS)
    assert [(r["level"], r["ms"]) for r in rows_as_dicts(response)] == [("error", "30"), ("error", "12")]


def test_timestamp_pairs_dicts_and_bytes():
    query = cwlf.Query.compile("fields @timestamp, @message | sort @timestamp asc")
    response = query.run([
        (1700000000000, b"second"),
        [1600000000000, "first"],
        {"message": "third", "timestamp": 1800000000000, "logStreamName": "s"},
    ])
    assert [r["@message"] for r in rows_as_dicts(response)] == ["first", "second", "third"]
    assert all(r["@timestamp"] for r in rows_as_dicts(response))


def test_run_accepts_any_iterable_and_none_matching():
    query = cwlf.Query.compile('filter level = "fatal"')
    assert query.run(e for e in EVENTS)["results"] == []
    assert query.run([])["statistics"]["recordsScanned"] == 0.0


def test_bad_events():
    query = cwlf.Query.compile("fields @message")
    with pytest.raises(TypeError, match="iterable of events"):
        query.run("one message")
    with pytest.raises(TypeError, match="an event must be"):
        query.run([42])
    with pytest.raises(TypeError, match="timestamp must be an int"):
        query.run([("soon", "x")])


def test_compile_error_is_a_pattern_error_with_carets():
    text = "fields a | frobnicate b"
    with pytest.raises(cwlf.PatternError) as caught:
        cwlf.Query.compile(text)
    d = caught.value.diagnostics[0]
    assert (d.line, d.column) == (1, 12)
    lines = str(caught.value).split("\n")
    assert lines[1] == "  " + text
    assert lines[2] == "  " + " " * 11 + "^" + "~" * (len("frobnicate") - 1)


def test_text_explain_and_repr():
    query = cwlf.Query.compile('filter level = "error"')
    assert query.text == 'filter level = "error"'
    assert query.explain()
    assert query.explain("bytecode")
    assert repr(query) == "Query('filter level = \"error\"')"
    assert isinstance(query.warnings, list)
