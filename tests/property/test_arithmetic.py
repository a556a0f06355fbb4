"""Arithmetic: any text is worked out or refused with a reason; sums read like Python's."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.skills.arithmetic import MAX_MAGNITUDE, CalculationError, evaluate
from tests.property.strategies import anything

symbols = st.lists(st.sampled_from(list("0123456789+-*/^()!%. ") + ["sqrt", "mod", "x"]), max_size=60).map(
    "".join
)


@given(st.one_of(anything, symbols))
def test_any_text_is_a_finite_value_or_refused(text: str) -> None:
    try:
        value = evaluate(text)
    except CalculationError as error:
        assert str(error)
        return
    assert math.isfinite(value)


def _sums() -> st.SearchStrategy[str]:
    leaves = st.integers(min_value=0, max_value=999).map(str)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda e: f"-{e}"),
        ),
        max_leaves=30,
    )


@given(_sums())
def test_sums_of_whole_numbers_agree_with_python(expression: str) -> None:
    expected = eval(expression.replace("-", " - "))  # only digits, brackets, + - * and spaces
    try:
        value = evaluate(expression)
    except CalculationError as error:
        assert abs(expected) > MAX_MAGNITUDE or "inside each other" in str(error)
        return
    assert value == pytest.approx(expected, rel=1e-12)  # floats: exact up to 2**53


@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["(", "sqrt(", "- ", "2 ^ "]))
def test_deep_nesting_is_refused_not_a_crash(depth: int, opener: str) -> None:
    closer = ")" if opener.endswith("(") else ""
    text = opener * depth + "4" + closer * depth
    try:
        value = evaluate(text)
    except CalculationError as error:
        assert "inside each other" in str(error) or "too big" in str(error)
        return
    assert math.isfinite(value)
