"""The reply check: English that a person would notice is wrong fails a turn."""

from __future__ import annotations

import pytest

from assistant.corpus.replies import reply_problems


@pytest.mark.parametrize(
    "reply",
    [
        "Timer set for 10 minutes.",
        "I think that that is fine.",
        "An hour and a half.",
        "A one-minute timer is running.",
        "An 8-minute timer, an 11-minute timer and an 18-minute timer.",
        "1 minute left. Twenty-one minutes on the other.",
        "1.5 minutes is 90 seconds.",
        "Done. Done.",
        "Wait...",
        "It's 10:00 a.m.",
        "Added milk to your shopping list.",
        "Are you sure you want me to cancel every timer?",
        "A UI and an SMS.",
    ],
)
def test_a_reply_that_reads_well_has_no_problems(reply: str) -> None:
    assert reply_problems(reply) == []


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Added the the milk.", "doubled word 'the the'"),
        ("Timer set for {n} minutes.", "raw template"),
        ("It is (one|two) o'clock.", "raw template"),
        ("Say [please] again.", "raw template"),
        ("Are you sure you want me to Cancel every timer, alarm and reminder?", "description used as a verb"),
        ("I'm going to Empty your list.", "description used as a verb"),
        ("Are you sure?.", "doubled punctuation"),
        ("Done..", "doubled punctuation"),
        ("Really.?", "doubled punctuation"),
        ("Started a eggs timer.", "'a' before 'eggs'"),
        ("Started an timer.", "'an' before 'timer'"),
        ("A 8-minute timer.", "'a' before '8-minute'"),
        ("1 minutes left.", "plural after one"),
        ("One hours to go.", "plural after one"),
    ],
)
def test_a_reply_with_a_mistake_is_flagged(reply: str, problem: str) -> None:
    problems = reply_problems(reply)
    assert any(problem in found for found in problems), problems


def test_each_mistake_is_named_once() -> None:
    assert reply_problems("Are you sure you want me to Cancel it?") == [
        "a description used as a verb: 'me to Cancel'"
    ]
