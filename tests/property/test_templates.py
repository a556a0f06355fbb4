"""Sentence templates as the RuleSet reads them: any template is taken or refused with a
TemplateError, and a taken one never breaks matching or sampling."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from assistant.nlu.templates import RuleSet, TemplateError, load_yaml

pieces = st.one_of(
    st.sampled_from(
        list("ab ()[]{}<>|;:.,-'\"\\#&*!%\n\t")
        + ["{x}", "{n}", "<r>", "(a|b)", "[c]", "{x:y}", "{n:m}", "<missing>", "((", "))"]
    ),
    st.text(max_size=3),
)
templates = st.lists(pieces, max_size=25).map("".join)


def _document(sentences: list[str], rule: str) -> dict[str, object]:
    return {
        "language": "en",
        "intents": {"probe": {"data": [{"sentences": sentences}]}},
        "lists": {"x": {"wildcard": True}, "n": {"range": {"from": 0, "to": 10}}},
        "expansion_rules": {"r": rule},
    }


@given(st.lists(templates, min_size=1, max_size=3), templates, st.text(max_size=20))
def test_a_template_is_taken_or_refused_and_matching_never_breaks(
    sentences: list[str], rule: str, said: str
) -> None:
    rules = RuleSet()
    try:
        rules.add("probe", _document(sentences, rule))
    except TemplateError as error:
        assert "probe" in str(error)
        return
    rules.match(said)
    rules.match(said, allow_unmatched=True)
    rules.sample_with_slots("probe", 3, random.Random(0))
    rules.slot_lists_of("probe")


@given(
    st.one_of(
        st.text(max_size=120),
        templates.map(lambda t: f"language: en\nintents:\n  x:\n    data:\n      - sentences: [{t}]"),
    )
)
def test_any_yaml_text_is_loaded_or_refused(text: str) -> None:
    try:
        loaded = load_yaml(text)
    except TemplateError:
        return
    assert isinstance(loaded, dict)
    try:
        RuleSet().add("probe", loaded)
    except TemplateError:
        pass


@given(st.integers(min_value=1, max_value=400))
def test_deeply_nested_groups_are_refused_when_added(depth: int) -> None:
    rules = RuleSet()
    try:
        rules.add("probe", _document(["(" * depth + "a" + ")" * depth], "a"))
    except TemplateError:
        return
    assert [result.intent.name for result in rules.match("a")] == ["probe"]
