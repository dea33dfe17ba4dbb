"""Matcher through the bindings: match on str and bytes, extracted values,
status, match_many (batches, generators, bytes) and that its loop runs with
the GIL released. Not a conformance suite: test_aws_recorded.py is.
"""

import threading
import time

import pytest

import cwlf


def test_delimited_match_and_extracted_values():
    matcher = cwlf.Matcher(cwlf.compile("[ip, user, status = 4*, bytes]"))
    assert matcher.match("1.2.3.4 bob 404 12") is True
    assert matcher.extracted_values() == {"$ip": "1.2.3.4", "$user": "bob", "$status": "404", "$bytes": "12"}
    assert list(matcher.extracted_values()) == ["$ip", "$user", "$status", "$bytes"]
    assert matcher.status == "ok"
    assert matcher.match("1.2.3.4 bob 200 12") is False
    assert matcher.extracted_values() == {}


def test_fields_inside_an_ellipsis_are_numbered():
    matcher = cwlf.Matcher("[ip, ..., status = 5*, bytes]")
    assert matcher.match("a b c 503 9")
    assert matcher.extracted_values() == {"$ip": "a", "$2": "b", "$3": "c", "$status": "503", "$bytes": "9"}


def test_json_pattern_and_status():
    matcher = cwlf.Matcher('{ $.eventName = "ConsoleLogin" && $.errorMessage = "Failed*" }')
    assert matcher.match('{"eventName": "ConsoleLogin", "errorMessage": "Failed authentication"}')
    assert matcher.extracted_values() == {}
    assert not matcher.match('{"eventName": "ConsoleLogin", "errorMessage": "ok"}')
    assert matcher.status == "ok"
    assert not matcher.match("not json at all")
    assert matcher.status == "not_json"


def test_bytes_str_and_bytearray_agree():
    matcher = cwlf.Matcher("[ip, user, status = 4*, bytes]")
    for message in ("1.2.3.4 bob 404 12", b"1.2.3.4 bob 404 12", bytearray(b"1.2.3.4 bob 404 12")):
        assert matcher.match(message)
        assert matcher.extracted_values()["$user"] == "bob"


def test_values_outlive_the_message():
    matcher = cwlf.Matcher("[a, b]")
    assert matcher.match(b"first " + b"second")  # a temporary, freed after the call
    assert matcher.extracted_values() == {"$a": "first", "$b": "second"}


def test_invalid_utf8_values_are_replaced():
    matcher = cwlf.Matcher("[a, b]")
    assert matcher.match(b"\xff\xfe ok")
    assert matcher.extracted_values() == {"$a": "\ufffd\ufffd", "$b": "ok"}


def test_matcher_from_pattern_and_program():
    assert cwlf.Matcher("ERROR").program.pattern == "ERROR"
    assert cwlf.Matcher('level = "x"', dialect="insights").program.kind == "insights"
    with pytest.raises(cwlf.PatternError):
        cwlf.Matcher("[a,")
    with pytest.raises(TypeError):
        cwlf.Matcher(3.5)


def test_wrong_message_types():
    matcher = cwlf.Matcher("ERROR")
    with pytest.raises(TypeError, match="must be str or bytes"):
        matcher.match(12)
    with pytest.raises(TypeError, match="iterable of messages"):
        matcher.match_many("ERROR one")
    with pytest.raises(TypeError, match="must be str or bytes"):
        matcher.match_many(["ERROR", None])


def test_match_many_on_bytes_list_and_generator():
    matcher = cwlf.Matcher("[ip, user, status = 4*, bytes]")
    messages = [f"10.0.0.{i} u{i} {400 + i % 3 * 50} {i}".encode() for i in range(10_000)]
    expected = [matcher.match(m) for m in messages]
    assert matcher.match_many(messages) == expected
    assert matcher.match_many(m for m in messages) == expected  # crosses several batches
    assert matcher.match_many([]) == []
    # The values after match_many are those of its last message.
    assert matcher.match_many([b"1.1.1.1 a 404 1", b"2.2.2.2 b 403 2"]) == [True, True]
    assert matcher.extracted_values()["$user"] == "b"


def test_match_many_propagates_iterator_errors():
    def broken():
        yield b"ERROR"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        cwlf.Matcher("ERROR").match_many(broken())


def test_shared_matcher_across_threads_is_safe():
    matcher = cwlf.Matcher("[ip, user, status = 4*, bytes]")
    messages = [f"1.2.3.4 u {400 + i % 2 * 100} 1".encode() for i in range(20_000)]
    expected = [i % 2 == 0 for i in range(20_000)]
    results = [None] * 4

    def work(slot):
        results[slot] = matcher.match_many(messages)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_match_many_releases_the_gil():
    # With the GIL held for the whole call, this thread could not run at all
    # while the worker matches; with it released, it only ever waits for the
    # short hand-overs between batches.
    matcher = cwlf.Matcher("NEEDLE")
    message = b"x" * 65536  # every match scans the whole event
    n = 200
    while True:
        start = time.perf_counter()
        matcher.match_many([message] * n)
        if time.perf_counter() - start >= 0.25 or n >= 10_000_000:
            break
        n *= 2
    messages = [message] * n
    done = threading.Event()
    took = []

    def work():
        start = time.perf_counter()
        matcher.match_many(messages)
        took.append(time.perf_counter() - start)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    largest_gap, last = 0.0, time.perf_counter()
    while not done.is_set():
        now = time.perf_counter()
        largest_gap, last = max(largest_gap, now - last), now
    worker.join()
    assert took[0] >= 0.1
    assert largest_gap < took[0] / 2, (largest_gap, took[0])
