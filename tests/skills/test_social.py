"""Social words and honest limits: greetings by the time of day, thanks, who the assistant
is (named by its wake phrase), jokes in turn, and plain "I can't" for what needs the internet."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from assistant.config import Settings
from assistant.dialogue.session import Session
from assistant.skills.base import ActionRequest, SkillContext
from assistant.skills.registry import SkillRegistry
from assistant.skills.social import JOKES, assistant_name, part_of_day
from tests.skills.conftest import FakeClock


@pytest.mark.parametrize(
    ("hour", "part"),
    [
        (5, "morning"),
        (11, "morning"),
        (12, "afternoon"),
        (17, "afternoon"),
        (18, "evening"),
        (22, "night"),
        (3, "night"),
    ],
)
def test_part_of_day(hour: int, part: str) -> None:
    assert part_of_day(datetime(2025, 3, 3, hour, 30)) == part


def test_greeting_fits_the_clock(run: Any, clock: FakeClock) -> None:
    assert run("social.greeting", text="hello").speech.startswith("Good morning.")
    clock.advance(6 * 3600)  # 4 PM
    assert run("social.greeting", text="hi").speech.startswith("Good afternoon.")


def test_greeting_uses_the_users_name(run: Any, context: SkillContext) -> None:
    context.preferences["user_name"] = "Sam"
    assert run("social.greeting", text="good morning").speech.startswith("Good morning, Sam.")


def test_good_morning_in_the_evening_says_the_time(run: Any, clock: FakeClock) -> None:
    clock.advance(9 * 3600 + 5 * 60)  # 7:05 PM
    speech = run("social.greeting", text="good morning").speech
    assert speech.startswith("Good evening: it's 7:05 PM here.")


def test_greeting_late_at_night(run: Any, clock: FakeClock) -> None:
    clock.advance(15 * 3600)  # 1 AM
    assert "up late" in run("social.greeting", text="hi").speech


def test_thanks_is_welcome_and_the_same_for_the_same_words(run: Any) -> None:
    first = run("social.thanks", text="thanks").speech
    assert first == run("social.thanks", text="Thanks!").speech
    replies = {
        run("social.thanks", text=said).speech for said in ("thanks", "thank you", "cheers", "ta", "thx")
    }
    assert replies <= {"You're welcome.", "You're welcome!", "Any time.", "Happy to help.", "No problem."}


def test_no_thanks_is_not_welcomed(run: Any) -> None:
    assert run("social.thanks", text="no thanks").speech == "OK, no problem."


def test_identity_says_offline_and_its_name(run: Any) -> None:
    speech = run("social.identity", text="who are you").speech
    assert speech.startswith("I'm Computer, an offline desk assistant.")
    assert "this machine" in speech and "leaves it" in speech


def test_name_comes_from_the_wake_phrase(run: Any, context: SkillContext) -> None:
    context.settings = replace(context.settings, wake_phrase="ok jarvis")
    speech = run("social.identity", text="what's your name").speech
    assert speech.startswith("I'm Jarvis,") and "\u201cok jarvis\u201d" in speech


@pytest.mark.parametrize(("phrase", "name"), [("hey computer", "Computer"), ("desk", "Desk"), ("hey", None)])
def test_assistant_name(context: SkillContext, phrase: str, name: str | None) -> None:
    context.settings = replace(Settings(), wake_phrase=phrase)
    assert assistant_name(context) == name


def test_are_you_a_robot(run: Any) -> None:
    assert "not a person" in run("social.identity", text="are you a robot").speech


def test_how_are_you_and_goodbye(run: Any, context: SkillContext) -> None:
    assert "?" in run("social.how_are_you", text="how are you").speech
    context.preferences["user_name"] = "Sam"
    assert run("social.goodbye", text="bye").speech == "Bye for now, Sam."
    assert run("social.goodbye", text="goodnight").speech == "Good night, Sam."


def test_jokes_follow_the_minute_then_go_in_turn(
    registry: SkillRegistry, context: SkillContext, clock: FakeClock
) -> None:
    clock.advance(7 * 60)  # 10:07
    context.session = Session()
    told = [
        registry.dispatch(ActionRequest("social.joke", text="tell me a joke"), context, 2.0).speech
        for _ in range(3)
    ]
    assert told == [JOKES[7 % len(JOKES)], JOKES[8 % len(JOKES)], JOKES[9 % len(JOKES)]]


def test_a_joke_without_a_session(run: Any) -> None:
    assert run("social.joke").speech == JOKES[0]  # 10:00


@pytest.mark.parametrize(
    ("slots", "words"),
    [
        ({"topic": "weather"}, "I work offline, so I can't check the weather"),
        ({"topic": "news"}, "can't get the news"),
        ({"topic": "search", "query": "the capital of peru"}, "take a note look up the capital of peru"),
        ({"topic": "search"}, "can't search the web"),
        ({"topic": "knowledge", "query": "peru"}, "can't look that up"),
        ({"topic": "music", "query": "some jazz"}, "can't play music"),
        ({"topic": "call", "person": "mom"}, "remind me to call mom at 5 pm"),
        ({"topic": "message", "person": "john"}, "can't send or read messages"),
        (
            {"topic": "call", "person": "the dentist on friday"},
            "\u201cremind me to call the dentist on friday\u201d",
        ),
    ],
)
def test_out_of_reach_says_why_and_what_instead(run: Any, slots: dict[str, str], words: str) -> None:
    result = run("social.out_of_reach", **slots)
    assert words in result.speech
    assert not result.ok and result.data["topic"] == slots["topic"]


def test_who_to_call_is_taken_from_the_words(registry: SkillRegistry, context: SkillContext) -> None:
    request = ActionRequest("social.out_of_reach", slots={"topic": "call"}, text="please ring my mum")
    assert "remind me to call my mum at 5 pm" in registry.dispatch(request, context, 2.0).speech
