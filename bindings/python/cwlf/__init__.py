"""cwlf: CloudWatch Logs filter patterns and Logs Insights queries, offline.

For compiling patterns and queries (with positioned diagnostics), matching log
events, and answering TestMetricFilter without AWS. Not an AWS client: nothing
here talks to CloudWatch, and the semantics all live in the C++ core (_cwlf).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Union

from cwlf._cwlf import (
    MAX_EVENT_BYTES,
    Diagnostic,
    Matcher,
    PatternError,
    Program,
    Query,
    RuleSet,
    __version__,
)

__all__ = [
    "MAX_EVENT_BYTES",
    "Diagnostic",
    "Matcher",
    "PatternError",
    "Program",
    "Query",
    "RuleSet",
    "__version__",
    "compile",
    "test_metric_filter",
]

Message = Union[str, bytes]


def compile(pattern: Message, dialect: str = "filter") -> Program:  # noqa: A001 - mirrors re.compile
    """Compile a filter pattern ("filter") or a Logs Insights filter expression ("insights").

    Raises PatternError (a ValueError) with the diagnostics when it does not compile.
    """
    return Program.compile(pattern, dialect)


def test_metric_filter(pattern: Message, messages: Iterable[Message]) -> dict[str, Any]:
    """Answer TestMetricFilter offline: the response shape, without AWS.

    Returns {"matches": [{"eventNumber": N, "eventMessage": ..., "extractedValues": {...}}]}
    with N counted from 1 in input order and only the matching events listed, as
    AWS does. An invalid pattern raises PatternError where AWS answers
    InvalidParameterException.
    """
    if isinstance(messages, (str, bytes, bytearray)):
        raise TypeError("messages must be a list of messages, not a single message")
    matcher = Matcher(Program.compile(pattern))
    matches = []
    for number, message in enumerate(messages, start=1):
        if matcher.match(message):
            if isinstance(message, (bytes, bytearray)):
                message = bytes(message).decode("utf-8", errors="replace")
            matches.append({
                "eventNumber": number,
                "eventMessage": message,
                "extractedValues": matcher.extracted_values(),
            })
    return {"matches": matches}


# Not a test, despite its name: keeps pytest from collecting it where imported.
test_metric_filter.__test__ = False  # type: ignore[attr-defined]
