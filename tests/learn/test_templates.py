"""Phrasing templates: one example generalised over its slot values (pure functions)."""

from __future__ import annotations

from assistant.learn.templates import derive, fill, match, spoken


def test_numbers_become_a_placeholder_named_after_their_unit() -> None:
    pair = derive("pop a ten minute timer on", "set a timer for 10 minutes")
    assert pair is not None
    assert (pair.source, pair.target) == (
        "pop a {minutes} minute timer on",
        "set a timer for {minutes} minutes",
    )


def test_a_template_takes_numbers_in_words_and_in_digits() -> None:
    source = "pop a {minutes} minute timer on"
    assert match(source, "pop a twelve minute timer on") == {"minutes": "twelve"}
    assert match(source, "pop a 25 minute timer on") == {"minutes": "25"}
    assert match(source, "pop a twenty five minute timer on") == {"minutes": "twenty five"}
    assert match(source, "pop a big minute timer on") is None


def test_the_target_is_filled_with_the_values_of_what_was_said() -> None:
    values = match("pop a {minutes} minute timer on", "pop a twelve minute timer on")
    assert values is not None
    assert fill("set a timer for {minutes} minutes", values) == "set a timer for twelve minutes"


def test_a_pair_whose_numbers_disagree_is_not_one_need() -> None:
    assert derive("set a timer for five minutes", "set a timer for ten minutes") is None
    assert derive("how hot is 30 degrees", "forget that i like jazz") is None


def test_text_slot_values_said_in_both_become_placeholders() -> None:
    pair = derive("stick sugar on the shopping list", "add sugar to the shopping list", {"item": "sugar"})
    assert pair is not None
    assert pair.source == "stick {item} on the shopping list"
    assert match(pair.source, "stick brown rice on the shopping list") == {"item": "brown rice"}


def test_a_template_keeps_enough_fixed_words_to_mean_only_its_phrasing() -> None:
    pair = derive("sugar please", "add sugar to the shopping list", {"item": "sugar"})
    assert pair is not None and pair.source == "sugar please"


def test_a_template_is_said_aloud_without_its_braces() -> None:
    assert spoken("give me a shout in {minutes}") == "give me a shout in \u2026"
