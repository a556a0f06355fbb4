"""The template filter only ever rules out templates hassil could not match: with it, every
text gets exactly the matches hassil alone gives, for random templates and for texts made
from them (filler words, punctuation and case changes included)."""

from __future__ import annotations

import random

from hassil import recognize_all
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.nlu.templates import POLITE_WORDS, RuleSet, TemplateError

words = st.sampled_from(["set", "a", "timer", "for", "the", "lamp", "on", "off", "what's", "x-ray"])
slot = st.sampled_from(["{thing}", "{n}", "{room}", "<where>", "{colour}"])
COLOURS = "red green blue amber teal pink plum gold grey navy lime rose sand jade ruby okay".split()
"""A long list (it is cut to the values in the text), one value a filler word."""


@st.composite
def template(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 9 if depth < 2 else 5))
        if kind <= 3:
            parts.append(draw(words))
        elif kind <= 5:
            parts.append(draw(slot))
        elif kind <= 7:
            parts.append("(" + "|".join(draw(st.lists(template(depth + 1), min_size=1, max_size=3))) + ")")
        else:
            parts.append("[" + draw(template(depth + 1)) + "]")
    return " ".join(parts)


def _rules(sentences: list[str]) -> RuleSet:
    rules = RuleSet()
    rules.add(
        "probe",
        {
            "language": "en",
            "intents": {
                "probe": {"data": [{"sentences": sentences}]},
                "other": {"data": [{"sentences": ["x"]}]},
            },
            "lists": {
                "thing": {"wildcard": True},
                "n": {"range": {"from": 1, "to": 20}},
                "room": {"values": ["kitchen", {"in": "(living|front) room", "out": "lounge"}]},
                "colour": {"values": [*COLOURS, "warm white", {"in": "(dark|light) blue", "out": "blue"}]},
            },
            "expansion_rules": {"where": "(in|at) [the] {room}"},
        },
    )
    return rules


def _key(results: list) -> list:
    return sorted(
        (r.intent.name, sorted((e.name, str(e.value), e.text) for e in r.entities_list)) for r in results
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(template(), min_size=1, max_size=3), st.randoms(use_true_random=False), st.data())
def test_filtered_matching_equals_hassil_alone(
    sentences: list[str], rng: random.Random, data: st.DataObject
) -> None:
    try:
        rules = _rules(sentences)
    except TemplateError:
        return
    said = rules.sample_with_slots("probe", 3, rng)
    texts = [text for text, _ in said] + [data.draw(st.lists(words).map(" ".join))]
    for text in texts:
        filler = rng.choice(POLITE_WORDS)
        words_said = text.split()
        inside = " ".join([*words_said[:1], filler, *words_said[1:]])
        for variant in (text, f"{filler} {text}", f"{text}, {filler}!", inside, text.upper()):
            for unmatched in (False, True):
                alone = list(
                    recognize_all(
                        variant,
                        rules.merged,
                        skip_words=POLITE_WORDS,
                        allow_unmatched_entities=unmatched,
                        language="en",
                    )
                )
                assert _key(rules.match(variant, allow_unmatched=unmatched)) == _key(alone), variant


def test_a_filler_inside_a_long_list_value_still_matches() -> None:
    rules = _rules(["turn it {colour}"])
    for text in ("turn it warm please white", "turn it just dark blue", "turn it teal"):
        alone = list(recognize_all(text, rules.merged, skip_words=POLITE_WORDS, language="en"))
        assert alone, text
        assert _key(rules.match(text)) == _key(alone), text
