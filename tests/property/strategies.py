"""Inputs for the property tests: words the readers know, mixed with anything at all."""

from __future__ import annotations

from hypothesis import strategies as st

from assistant.nlu.numbers import ORDINALS, SCALES, SPECIAL, TENS, UNITS
from assistant.nlu.times import MONTHS, PARTS_OF_DAY, UNIT_SECONDS, WEEKDAYS

KNOWN_WORDS = sorted(
    set(UNITS) | set(TENS) | set(SCALES) | set(ORDINALS) | set(SPECIAL) | set(UNIT_SECONDS)
    | set(WEEKDAYS) | set(MONTHS) | set(PARTS_OF_DAY)
    | {"and", "a", "an", "point", "minus", "negative", "percent", "per", "cent", "of", "for", "in",
       "at", "past", "to", "half", "quarter", "noon", "midnight", "am", "pm", "o'clock", "the",
       "next", "this", "tomorrow", "today", "yesterday", "tonight", "from", "now", "later", "day",
       "after", "plus", "times", "divided", "by", "squared", "root", "square", "factorial", "mod"}
)  # fmt: skip

figures = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(r"\A[-+]?\d{1,4}([.,:]\d{1,3}){0,3}(st|nd|rd|th|%|e[-+]?\d{1,4}|h|m|s|min)?\Z"),
    st.sampled_from(["1e309", "-1e309", "nan", "inf", "9" * 60, "3.14.15", "12:75", "1h30m", "7pm"]),
)
token = st.one_of(st.sampled_from(KNOWN_WORDS), figures, st.text(max_size=6))
phrases = st.lists(token, max_size=14).map(" ".join)
"""A few words: mostly ones the readers know, some figures, some junk."""
anything = st.one_of(phrases, st.text(max_size=80))
