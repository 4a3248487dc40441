"""Property-based: arbitrary and mutated text never crashes the parser nor loses characters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipviewer.ingest.accounting import accounting_problems
from sipviewer.ingest.parser import parse_text
from sipviewer.model.errors import ParseError

SAMPLE_LINES: list[str] = []

# characters that matter to the parser's rules, mixed with everything else
ALPHABET = st.one_of(
    st.sampled_from(list(" \n\u2003\ufffd（）。，；：！？“”《》—表供稿摄园区经发委专记0123456789年月日")),
    st.characters(codec="utf-8"),
)


def _check(text: str) -> None:
    try:
        doc = parse_text(text, "fuzz.txt")
    except ParseError as exc:
        assert "fuzz.txt" in str(exc)
        return
    assert accounting_problems(doc, text) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_arbitrary_text(text):
    _check(text)


def _sample_lines() -> list[str]:
    if not SAMPLE_LINES:
        from tests.conftest import SAMPLE

        SAMPLE_LINES.extend(SAMPLE.read_text(encoding="utf-8").split("\n"))
    return SAMPLE_LINES


@st.composite
def mutated_sample(draw):
    lines = list(_sample_lines())
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "cut", "space"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.text(alphabet=ALPHABET, max_size=40)))
        elif op == "cut":
            k = draw(st.integers(0, max(0, len(lines[i]))))
            lines[i] = lines[i][:k]
        else:
            lines[i] = " " + lines[i]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample())
def test_mutated_sample(text):
    _check(text)
