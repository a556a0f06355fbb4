"""What the template filter passes on to hassil: the templates a text may match, in hassil's
order (soundness against hassil itself is the property test in tests/property)."""

from __future__ import annotations

from hassil import Intents
from hassil.intents import Intent

from assistant.nlu.template_filter import TemplateFilter, squash


def probe(sentences: list[str]) -> Intent:
    intents = Intents.from_dict(
        {
            "language": "en",
            "intents": {"probe": {"data": [{"sentences": sentences}]}},
            "lists": {"thing": {"wildcard": True}},
        }
    )
    return intents.intents["probe"]


def kept(sentences: list[str], text: str) -> list[str]:
    blocks = TemplateFilter(["please"]).intent_in(probe(sentences), squash(text), {})
    return [template.text or "" for block in blocks for template in block.sentences]


def test_a_template_missing_a_compulsory_word_is_ruled_out() -> None:
    assert kept(["set a timer for {thing}"], "set a reminder for {thing}") == []
    assert kept(["set a timer for {thing}"], "Set a timer, for ten minutes!") == ["set a timer for {thing}"]


def test_optional_words_and_one_of_several_choices_are_not_compulsory() -> None:
    templates = ["(turn|switch) on [the] {thing}", "(set|start) [a] timer"]
    assert kept(templates, "switch on lamp") == ["(turn|switch) on [the] {thing}"]
    assert kept(templates, "start timer") == ["(set|start) [a] timer"]
    assert kept(templates, "turn the lamp") == []


def test_the_templates_that_may_match_are_passed_on_in_hassils_order() -> None:
    templates = ["{thing} timer", "stop {thing}", "timer for {thing}", "cancel the timer"]
    order = [template.text for template in probe(templates).data[0].sentences]
    expected = [text for text in order if text in ("{thing} timer", "timer for {thing}")]
    assert kept(templates, "timer for the egg timer please") == expected
