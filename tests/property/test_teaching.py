"""Teaching sentences: any text is read or not, never an error; splitting asks about a number
of readings linear in the sentence, and the steps are the sentence's own words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.teach.phrasing import (
    MAX_STEP_PIECES,
    MAX_TRIGGER_WORDS,
    PARAMETER_SAMPLES,
    STEP_SEPARATORS,
    clean,
    split_alias,
    split_means,
    split_steps,
    split_trigger_and_steps,
    strip_teaching_prefix,
    templatize,
)
from assistant.teach.statements import parse_statement
from tests.property.strategies import anything

WORDS = (
    "set a timer for n minutes and then add milk to my list play jazz turn off the lamp reading mode after "
    "that i say mean means when x 5 {n} call me is called my sister favourite colour"
).split()
sentences = st.one_of(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join), anything)


SEPARATOR_WORDS = {word for separator in STEP_SEPARATORS for word in separator.split()}


def _left_out(words: list[str], kept: list[str]) -> list[str] | None:
    """The words of ``words`` not in ``kept`` when ``kept`` is a subsequence of it, else None."""
    left: list[str] = []
    position = 0
    for word in words:
        if position < len(kept) and kept[position] == word:
            position += 1
        else:
            left.append(word)
    return left if position == len(kept) else None


class CountingUnderstanding:
    """Understands a step that starts with a verb and has at most six words (a stand-in for
    the real understanding, so the property is about the splitting alone)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> str | None:
        self.calls += 1
        words = text.split()
        if words and words[0] in ("set", "add", "play", "turn", "call") and len(words) <= 6:
            return words[0]
        return None


@given(sentences)
def test_any_sentence_is_read_as_a_statement_or_not(text: str) -> None:
    cleaned = clean(text)
    statement = parse_statement(cleaned)
    assert statement is None or statement.key
    for reader in (strip_teaching_prefix, split_alias, split_means):
        reader(cleaned)


@given(sentences)
def test_steps_are_the_sentences_own_words_asked_about_linearly(text: str) -> None:
    body = clean(text)
    understands = CountingUnderstanding()
    split = split_steps(body, understands)
    left_out = _left_out(body.split(), " ".join(split.steps).split())
    assert left_out is not None and set(left_out) <= SEPARATOR_WORDS
    assert set(split.unknown) <= set(split.steps)
    pieces = len(body.split()) + 1
    assert understands.calls <= len(PARAMETER_SAMPLES) * MAX_STEP_PIECES * pieces


@given(sentences)
def test_a_trigger_and_its_steps_come_from_the_sentence(text: str) -> None:
    body = clean(text)
    understands = CountingUnderstanding()
    trigger, split = split_trigger_and_steps(body, understands, understands)
    assert len(trigger.split()) <= max(MAX_TRIGGER_WORDS, 2)
    pieces = len(body.split()) + 1
    tries = 2 * 2 * len(PARAMETER_SAMPLES) * MAX_TRIGGER_WORDS
    assert understands.calls <= tries + len(PARAMETER_SAMPLES) * MAX_STEP_PIECES * pieces


@given(sentences, st.lists(sentences, max_size=3))
def test_templatize_keeps_the_words_count(trigger: str, steps: list[str]) -> None:
    templated, templated_steps = templatize(clean(trigger), [clean(step) for step in steps])
    assert len(templated.split()) == len(clean(trigger).split())
    assert len(templated_steps) == len(steps)
