"""RuleSet through the bindings: building from pairs or a dict, match() and
match_many() returning rule ids in the order added, and errors naming the rule.
Not a test of the rule-set indexes (the C++ differential test covers those).
"""

import pytest

import cwlf

RULES = [
    (7, "ERROR"),
    (3, '{ $.eventName = "ConsoleLogin" }'),
    (9, "[ip, user, status = 4*, bytes]"),
    (1, '{ $.eventName = "DeleteTrail" }'),
]


def test_match_returns_ids_in_order_added():
    rules = cwlf.RuleSet(RULES)
    assert rules.match("ERROR x 404 12") == [7, 9]
    assert rules.match('{"eventName": "ConsoleLogin"}') == [3]
    assert rules.match(b'{"eventName": "DeleteTrail"}') == [1]
    assert rules.match("nothing here") == []
    assert rules.ids == [7, 3, 9, 1]
    assert len(rules) == 4
    assert isinstance(rules.dispatch_summary, str)


def test_match_many_agrees_with_match():
    rules = cwlf.RuleSet(RULES)
    messages = [b"ERROR", b'{"eventName": "ConsoleLogin"}', b"1.1.1.1 u 403 5", b"ok"] * 3000
    assert rules.match_many(messages) == [rules.match(m) for m in messages]
    assert rules.match_many(iter(messages[:5])) == [[7], [3], [9], [], [7]]


def test_from_dict_and_programs():
    rules = cwlf.RuleSet({5: cwlf.compile("WARN"), 6: "ERROR"})
    assert rules.match("WARN ERROR") == [5, 6]


def test_insights_dialect():
    rules = cwlf.RuleSet([(1, 'level = "error"')], dialect="insights")
    assert rules.match('{"level": "error"}') == [1]


def test_bad_rules_name_the_rule_and_point_into_their_own_text():
    with pytest.raises(cwlf.PatternError) as caught:
        cwlf.RuleSet([(1, "ERROR"), (2, "[a"), (3, "{ $.x = }")])
    first, second = caught.value.diagnostics
    assert (first.origin, first.line, first.column) == ("rule 2", 1, 3)
    assert (second.origin, second.line, second.column) == ("rule 3", 1, 9)
    text = str(caught.value)
    assert text.startswith("rule 2:1:3: error:")
    assert "\n  [a\n    ^\n" in text
    assert "\n  { $.x = }\n          ^" in text


def test_duplicate_ids():
    with pytest.raises(cwlf.PatternError, match="duplicate rule id 4") as caught:
        cwlf.RuleSet([(4, "a"), (4, "b")])
    assert str(caught.value) == "rule 4:1:1: error: duplicate rule id 4"


def test_bad_shapes():
    with pytest.raises(TypeError, match="pair"):
        cwlf.RuleSet(["ERROR"])
    with pytest.raises(TypeError, match="rule id must be an int"):
        cwlf.RuleSet([("one", "ERROR")])
    with pytest.raises(ValueError, match="between 0 and"):
        cwlf.RuleSet([(-1, "ERROR")])
    with pytest.raises(ValueError, match="between 0 and"):
        cwlf.RuleSet([(2**32, "ERROR")])


def test_image_round_trip_and_pickle():
    import pickle

    rules = cwlf.RuleSet(RULES)
    image = rules.serialize()
    assert image.startswith(b"CWLFRSI")
    loaded = cwlf.RuleSet.from_image(image)
    messages = ["ERROR x 404 12", '{"eventName": "ConsoleLogin"}', '{"eventName": "DeleteTrail"}', "ok"]
    assert loaded.match_many(messages) == rules.match_many(messages)
    assert loaded.ids == rules.ids
    unpickled = pickle.loads(pickle.dumps(rules))
    assert unpickled.match_many(messages) == rules.match_many(messages)


def test_damaged_image_is_a_value_error():
    image = bytearray(cwlf.RuleSet(RULES).serialize())
    image[-1] ^= 0xFF
    with pytest.raises(ValueError, match="checksum"):
        cwlf.RuleSet.from_image(bytes(image))
