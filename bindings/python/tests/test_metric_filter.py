"""cwlf.test_metric_filter: the TestMetricFilter response shape, exactly, with
1-based event numbers. Not a conformance suite: test_aws_recorded.py is.
"""

import json

import pytest

import cwlf


def test_exact_response_shape():
    response = cwlf.test_metric_filter(
        "[ip, user, status = 4*, bytes]",
        ["1.2.3.4 bob 404 12", "1.2.3.4 bob 200 12", "5.6.7.8 al 401 3"],
    )
    assert response == {
        "matches": [
            {
                "eventNumber": 1,
                "eventMessage": "1.2.3.4 bob 404 12",
                "extractedValues": {"$ip": "1.2.3.4", "$user": "bob", "$status": "404", "$bytes": "12"},
            },
            {
                "eventNumber": 3,
                "eventMessage": "5.6.7.8 al 401 3",
                "extractedValues": {"$ip": "5.6.7.8", "$user": "al", "$status": "401", "$bytes": "3"},
            },
        ]
    }
    assert json.loads(json.dumps(response)) == response
    for match in response["matches"]:
        assert type(match["eventNumber"]) is int


def test_numbering_starts_at_one_and_skips_non_matches():
    response = cwlf.test_metric_filter("ERROR", ["ok", "ERROR a", "fine", "fine", "ERROR b"])
    assert [m["eventNumber"] for m in response["matches"]] == [2, 5]
    assert [m["eventMessage"] for m in response["matches"]] == ["ERROR a", "ERROR b"]
    assert all(m["extractedValues"] == {} for m in response["matches"])


def test_json_pattern_has_empty_extracted_values():
    response = cwlf.test_metric_filter('{ $.level = "error" }', ['{"level":"error"}', '{"level":"info"}', "x"])
    assert response == {"matches": [{"eventNumber": 1, "eventMessage": '{"level":"error"}', "extractedValues": {}}]}


def test_no_events_and_no_matches():
    assert cwlf.test_metric_filter("ERROR", []) == {"matches": []}
    assert cwlf.test_metric_filter("ERROR", ["fine"]) == {"matches": []}


def test_bytes_messages_come_back_as_text():
    response = cwlf.test_metric_filter("ERROR", [b"ERROR \xff"])
    assert response["matches"][0]["eventMessage"] == "ERROR \ufffd"


def test_invalid_pattern_raises_pattern_error():
    with pytest.raises(cwlf.PatternError) as caught:
        cwlf.test_metric_filter("{ $.a = }", ["x"])
    assert caught.value.diagnostics[0].column == 9


def test_a_single_message_is_a_type_error():
    with pytest.raises(TypeError, match="not a single message"):
        cwlf.test_metric_filter("ERROR", "ERROR one")


def test_not_collected_as_a_test():
    assert cwlf.test_metric_filter.__test__ is False
