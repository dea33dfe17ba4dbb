"""Compiling through the bindings: Program's accessors, and PatternError with
positions, carets and diagnostics. Not a test of the grammar itself (the C++
golden tests cover that); only of what crosses into Python.
"""

import pytest

import cwlf


def test_program_kind_pattern_and_repr():
    assert cwlf.compile("ERROR").kind == "terms"
    assert cwlf.compile('{ $.level = "error" }').kind == "json"
    program = cwlf.compile("[ip, user, status = 4*, bytes]")
    assert program.kind == "delimited"
    assert program.pattern == "[ip, user, status = 4*, bytes]"
    assert repr(program) == "Program('[ip, user, status = 4*, bytes]', kind='delimited')"
    assert isinstance(program, cwlf.Program)


def test_bytes_pattern_compiles_like_str():
    assert cwlf.compile(b"ERROR").pattern == "ERROR"


def test_explain_every_stage():
    program = cwlf.compile('{ $.level = "error" }')
    assert "glob $.level" in program.explain("ir")
    assert program.explain("ast")
    listing = program.explain()
    assert listing == program.explain("bytecode")
    assert "ACCEPT" in listing and "REJECT" in listing
    with pytest.raises(ValueError, match="stage must be"):
        program.explain("machine-code")


def test_insights_dialect():
    program = cwlf.compile('level = "error" and ms > 5', dialect="insights")
    assert program.kind == "insights"
    assert cwlf.Matcher(program).match('{"level": "error", "ms": 9}')
    assert not cwlf.Matcher(program).match('{"level": "error", "ms": 1}')


def test_unknown_dialect_is_a_value_error():
    with pytest.raises(ValueError, match="dialect must be"):
        cwlf.compile("ERROR", dialect="sql")


def test_error_position_carets_and_diagnostics():
    pattern = "[ip, user, status = 4*"
    with pytest.raises(cwlf.PatternError) as caught:
        cwlf.compile(pattern)
    error = caught.value
    assert isinstance(error, ValueError)
    assert len(error.diagnostics) == 1
    d = error.diagnostics[0]
    assert isinstance(d, cwlf.Diagnostic)
    assert (d.code, d.severity, d.origin) == ("unexpected_token", "error", "pattern")
    assert (d.line, d.column) == (1, 23)
    assert d.span == (22, 22)
    assert "close the field list" in d.message
    lines = str(error).split("\n")
    assert lines[0] == f"pattern:1:23: error: {d.message}"
    assert lines[1] == "  " + pattern
    assert lines[2] == "  " + " " * 22 + "^"
    assert str(error) == d.render().rstrip("\n")
    assert str(d) == d.render()
    assert "unexpected_token" in repr(d)


def test_error_on_a_later_line():
    with pytest.raises(cwlf.PatternError) as caught:
        cwlf.compile("{ $.a = 1 &&\n  $.b = }")
    d = caught.value.diagnostics[0]
    assert (d.line, d.column) == (2, 9)
    lines = str(caught.value).split("\n")
    assert lines[1] == "    $.b = }"
    assert lines[2].index("^") == 2 + 8


def test_columns_count_code_points_and_spans_count_bytes():
    pattern = '{ $.name = "é" && }'
    with pytest.raises(cwlf.PatternError) as caught:
        cwlf.compile(pattern)
    d = caught.value.diagnostics[0]
    position = pattern.index("&")  # in code points
    assert d.column == position + 1
    assert d.span[0] == len(pattern[:position].encode())
    assert str(caught.value).split("\n")[2].index("^") == 2 + position


def test_warnings_of_a_valid_pattern():
    program = cwlf.compile("ERROR ?WARN")
    [warning] = program.warnings
    assert (warning.code, warning.severity) == ("suspicious_pattern", "warning")
    assert (warning.line, warning.column) == (1, 7)
    assert warning.render().split("\n")[2] == "        ^~~~~"


def test_pattern_error_defaults_when_raised_by_hand():
    assert cwlf.PatternError("x").diagnostics == ()


def test_non_text_pattern_is_a_type_error():
    with pytest.raises(TypeError, match="a pattern must be str or bytes"):
        cwlf.compile(42)
