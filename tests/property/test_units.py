"""Unit conversion: there and back again; any sentence is a conversion or none."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assistant.skills.conversions import (
    UNITS,
    ConversionError,
    Unit,
    convert,
    parse_conversion,
    spoken_names,
)
from tests.property.strategies import anything

unit_pairs = st.sampled_from(UNITS).flatmap(
    lambda source: st.tuples(st.just(source), st.sampled_from([u for u in UNITS if u.kind == source.kind]))
)
amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(unit_pairs, amounts)
def test_a_conversion_there_and_back_is_the_amount(pair: tuple[Unit, Unit], value: float) -> None:
    source, target = pair
    try:
        there = convert(value, source, target)
    except ConversionError:
        assume(False)  # below absolute zero
    assert math.isfinite(there)
    assert convert(there, target, source) == pytest.approx(value, rel=1e-9, abs=1e-6)


@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(sorted(spoken_names())),
    st.sampled_from(sorted(spoken_names())),
)
def test_a_spoken_conversion_is_read(value: int, source: str, target: str) -> None:
    parsed = parse_conversion(f"convert {value} {source} to {target}")
    assert parsed is not None and parsed[0] == value


@given(anything)
def test_any_sentence_is_a_conversion_or_none(text: str) -> None:
    parsed = parse_conversion(text)
    assert parsed is None or math.isfinite(parsed[0])
