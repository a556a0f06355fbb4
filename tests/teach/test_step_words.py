"""A taught command's steps said as actions, from what they were understood as."""

from __future__ import annotations

from assistant.memory.teaching_records import CommandStep, CustomCommand
from assistant.teach.step_words import (
    describe_steps,
    intent_action,
    join_actions,
    say_clock,
    say_seconds,
    spoken_template,
    step_action,
    words_as_action,
)


def command(*steps: CommandStep) -> CustomCommand:
    return CustomCommand(id=1, name="end of day", triggers=["end of day"], steps=list(steps))


def test_a_question_step_is_said_as_the_action_it_does() -> None:
    assert step_action(CommandStep("what time is it", "time.now")) == "tell you the time"


def test_a_timer_step_says_its_length_as_an_adjective() -> None:
    step = CommandStep("start a 10 minute timer", "timer.set", {"duration": 600})
    assert step_action(step) == "start a 10-minute timer"
    named = CommandStep("set an 8 minute pasta timer", "timer.set", {"duration": 480, "name": "pasta"})
    assert step_action(named) == "start an 8-minute pasta timer"
    long = CommandStep("set a timer for 90 minutes", "timer.set", {"duration": 5400})
    assert step_action(long) == "start a timer for 1 hour and 30 minutes"


def test_the_end_of_day_command_reads_as_actions() -> None:
    steps = (
        CommandStep("what time is it", "time.now"),
        CommandStep("start a 10 minute timer", "timer.set", {"duration": 600}),
    )
    assert describe_steps(command(*steps)) == "tell you the time and then start a 10-minute timer"


def test_list_alarm_and_reminder_steps_speak_to_the_user() -> None:
    add = CommandStep(
        "add milk and eggs to my shopping list",
        "list.add",
        {"item": ["milk", "eggs"], "list_name": "shopping"},
    )
    assert step_action(add) == "add milk and eggs to your shopping list"
    alarm = CommandStep("set an alarm for 7 am", "alarm.set", {"time": "2026-12-02T07:00:00"})
    assert step_action(alarm) == "set an alarm for 7 AM"
    remind = CommandStep(
        "remind me to stretch in an hour", "reminder.set", {"message": "stretch", "duration": 3600}
    )
    assert step_action(remind) == "remind you to stretch in 1 hour"


def test_an_unknown_intent_uses_the_words_when_they_are_an_action() -> None:
    assert step_action(CommandStep("water my plants", "plants.water")) == "water your plants"


def test_an_unknown_question_is_quoted_never_spliced_after_ill() -> None:
    assert (
        step_action(CommandStep("what's the weather", "weather.now")) == "do \u201cwhat's the weather\u201d"
    )
    assert words_as_action("is it raining") == "do \u201cis it raining\u201d"


def test_a_step_with_a_parameter_says_it_as_a_letter_or_its_value() -> None:
    step = CommandStep("set a timer for {n} minutes", "timer.set")
    assert step_action(step) == "set a timer for N minutes"
    assert step_action(step, {"n": 25}) == "set a timer for 25 minutes"
    assert spoken_template("focus for {n} minutes") == "focus for N minutes"


def test_missing_details_fall_back_to_the_words() -> None:
    assert step_action(CommandStep("set a timer", "timer.set")) == "set a timer"
    assert intent_action("timer.set") is None
    assert intent_action("time.now") == "tell you the time"


def test_joining_and_spoken_numbers() -> None:
    assert join_actions(["a"]) == "a"
    assert join_actions(["a", "b", "c"]) == "a, b and then c"
    assert say_seconds(60) == "1 minute"
    assert say_seconds("nonsense") is None
    assert say_clock("2026-12-02T18:05:00") == "6:05 PM"
    assert say_clock("not a time") is None
