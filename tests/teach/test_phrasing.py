"""Reading teaching sentences, on plain strings (understanding is faked)."""

from __future__ import annotations

from assistant.teach.phrasing import (
    split_alias,
    split_means,
    split_steps,
    split_trigger_and_steps,
    strip_teaching_prefix,
    templatize,
)
from assistant.teach.statements import describe, parse_statement

KNOWN = {
    "set the desk lamp to 100 percent",
    "add reading to my log",
    "set a timer for 5 minutes",
    "add milk and eggs to my shopping list",
    "add milk",
    "turn off all lights",
    "play jazz",
}


def understands(text: str) -> bool:
    return text in KNOWN


def test_when_i_say_is_recognised_and_stripped() -> None:
    assert strip_teaching_prefix("when i say reading mode set x") == "reading mode set x"
    assert strip_teaching_prefix("whenever i say hi play jazz") == "hi play jazz"
    assert strip_teaching_prefix("set a timer") is None


def test_the_phrase_ends_where_the_first_understood_step_begins() -> None:
    trigger, split = split_trigger_and_steps(
        "reading mode set the desk lamp to 100 percent and add reading to my log", understands
    )
    assert trigger == "reading mode"
    assert split.steps == ["set the desk lamp to 100 percent", "add reading to my log"]
    assert split.unknown == []


def test_then_separates_steps() -> None:
    _, split = split_trigger_and_steps("good night play jazz then turn off all lights", understands)
    assert split.steps == ["play jazz", "turn off all lights"]


def test_and_inside_one_request_is_kept() -> None:
    split = split_steps("add milk and eggs to my shopping list", understands)
    assert split.steps == ["add milk and eggs to my shopping list"]


def test_an_unknown_step_is_reported_not_glued_to_a_known_one() -> None:
    trigger, split = split_trigger_and_steps("reading mode play jazz and mute notifications", understands)
    assert trigger == "reading mode"
    assert split.steps == ["play jazz", "mute notifications"]
    assert split.unknown == ["mute notifications"]


def test_placeholders_become_parameters_in_phrase_and_steps() -> None:
    trigger, split = split_trigger_and_steps("focus for n minutes set a timer for n minutes", understands)
    assert trigger == "focus for {n} minutes"
    assert split.steps == ["set a timer for {n} minutes"]
    assert templatize("plan x", ["play jazz"]) == ("plan x", ["play jazz"])  # x only in the phrase: a word


def test_aliases_are_read_from_both_forms() -> None:
    assert split_alias("lights out i mean turn off all lights") == ("lights out", "turn off all lights")
    assert split_means("lights out means turn off all lights") == ("lights out", "turn off all lights")


def test_statements_about_the_user() -> None:
    cases = {
        "call me sam": ("identity", "user_name", "Sam"),
        "i'm a warriors fan": ("sports", "favourite_team", "Warriors"),
        "i live in boston": ("location", "home_city", "Boston"),
        "i prefer celsius": ("units", "temperature_unit", "celsius"),
        "my favourite music is jazz": ("music", "music_genre", "jazz"),
        "remember that my sister is called ana": ("people", "sister", "Ana"),
    }
    for text, expected in cases.items():
        statement = parse_statement(text)
        assert statement is not None, text
        assert (statement.category, statement.key, statement.value) == expected
    assert parse_statement("set a timer for 5 minutes") is None
    assert describe("people", "sister", "Ana") == "Your sister is called Ana."


def test_a_number_said_in_the_phrase_and_a_step_becomes_the_parameter() -> None:
    assert templatize("focus for 25 minutes", ["set a timer for 25 minutes", "add focus to my log"]) == (
        "focus for {n} minutes",
        ["set a timer for {n} minutes", "add focus to my log"],
    )
    assert templatize("nap 20", ["set a timer for 30 minutes"]) == ("nap 20", ["set a timer for 30 minutes"])


def test_a_split_that_leaves_a_step_without_a_command_word_loses() -> None:
    known = {
        "add bread": "list.add",
        "butter to my shopping list": "list.read",
        "add bread and butter to my shopping list": "list.add",
    }
    split = split_steps("add bread and butter to my shopping list", known.get)
    assert split.steps == ["add bread and butter to my shopping list"]


def test_then_after_the_phrase_is_not_part_of_it() -> None:
    def understands(text: str) -> str | None:
        return (
            "timer.set" if text.startswith("set a") else ("time.now" if text == "tell me the time" else None)
        )

    trigger, split = split_trigger_and_steps(
        "study then set a 25 minute timer and then tell me the time", understands, understands
    )
    assert trigger == "study"
    assert split.steps == ["set a 25 minute timer", "tell me the time"]


def test_a_short_phrase_alone_has_no_steps() -> None:
    trigger, split = split_trigger_and_steps("focus mode", lambda text: None)
    assert trigger == "focus mode" and split.steps == []
