"""Timers, alarms and reminders through their handlers, on a real store."""

from __future__ import annotations

from typing import Any

from assistant.memory.store import Store
from assistant.memory.timers import TimerRepository
from tests.skills.conftest import FakeClock


def test_setting_a_timer_from_seconds(run: Any, store: Store, clock: FakeClock) -> None:
    result = run("timer.set", duration=600)
    assert result.ok
    assert result.speech == "Timer set for 10 minutes."
    [timer] = TimerRepository(store).active()
    assert timer.due_at == clock.now() + 600


def test_setting_a_timer_from_raw_words(run: Any) -> None:
    result = run("timer.set", duration="an hour and a half")
    assert result.speech == "Timer set for 1 hour and 30 minutes."


def test_a_named_timer_keeps_its_name(run: Any, store: Store) -> None:
    result = run("timer.set", duration="8 minutes", name="the pasta")
    assert result.speech == "Pasta timer set for 8 minutes."
    assert TimerRepository(store).active()[0].label == "pasta"


def test_a_second_timer_with_the_same_name_is_refused(run: Any) -> None:
    run("timer.set", duration=60, name="pasta")
    result = run("timer.set", duration=120, name="pasta")
    assert not result.ok
    assert "already have a pasta timer" in result.speech


def test_a_timer_without_duration_asks_for_it(run: Any) -> None:
    result = run("timer.set")
    assert not result.ok
    assert result.speech == "For how long?"


def test_an_unreadable_duration_says_so(run: Any) -> None:
    result = run("timer.set", duration="a blue moon")
    assert not result.ok
    assert "didn't catch how long" in result.speech
    assert "1 minute" not in result.speech


def test_several_timers_are_listed_with_time_left(run: Any, clock: FakeClock) -> None:
    run("timer.set", duration=600, name="pasta")
    run("timer.set", duration=300, name="eggs")
    clock.advance(60)
    result = run("timer.list")
    assert result.speech == "The eggs timer has 4 minutes left and the pasta timer has 9 minutes left."
    assert [t["label"] for t in result.data["timers"]] == ["eggs", "pasta"]


def test_cancel_by_name(run: Any, store: Store) -> None:
    run("timer.set", duration=600, name="pasta")
    run("timer.set", duration=300, name="eggs")
    result = run("timer.cancel", name="pasta timer")
    assert result.speech == "OK, I cancelled the pasta timer."
    assert [t.label for t in TimerRepository(store).active()] == ["eggs"]


def test_cancel_without_name_asks_which_when_several(run: Any) -> None:
    run("timer.set", duration=600, name="pasta")
    run("timer.set", duration=300, name="eggs")
    result = run("timer.cancel")
    assert not result.ok
    assert result.speech == "Which one? You have the eggs timer and the pasta timer."


def test_cancel_an_unnamed_timer_by_its_length(run: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("timer.set", duration=300)
    result = run("timer.cancel", name="ten minute")
    assert result.ok, result.speech
    assert [t.duration_seconds for t in TimerRepository(store).active()] == [300]


def test_cancel_all(run: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm")
    result = run("timer.cancel_all")
    assert result.data["cancelled"] == 2
    assert TimerRepository(store).active() == []


def test_cancel_all_read_as_a_timer_named_all(run: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("timer.set", duration=60)
    assert run("timer.cancel", name="all", kind="timer").data["cancelled"] == 2


def test_extend_a_named_timer(run: Any, clock: FakeClock) -> None:
    run("timer.set", duration=600, name="pasta")
    result = run("timer.extend", duration="five minutes", name="pasta")
    assert result.speech == "Added 5 minutes to the pasta timer. It has 15 minutes left."
    assert result.data["due_at"] == clock.now() + 900


def test_extend_when_no_timer_runs(run: Any) -> None:
    result = run("timer.extend", duration=300)
    assert not result.ok
    assert "don't have any timers" in result.speech


def test_alarm_in_words(run: Any, store: Store, clock: FakeClock) -> None:
    result = run("alarm.set", time="tomorrow at half past six")
    assert result.speech == "Alarm set for tomorrow at 6:30 AM."
    [alarm] = TimerRepository(store).active("alarm")
    assert alarm.due_at - clock.now() == 20.5 * 3600


def test_alarm_from_iso_time(run: Any) -> None:
    assert run("alarm.set", time="2025-03-03T19:00:00").speech == "Alarm set for 7 PM."


def test_alarm_in_the_past_is_refused(run: Any) -> None:
    result = run("alarm.set", time="2025-03-03T08:00:00")
    assert not result.ok


def test_reminder_in_a_while(run: Any, store: Store) -> None:
    result = run("reminder.set", message="call mom", duration="20 minutes")
    assert result.speech == "OK, I'll remind you to call mom in 20 minutes."
    assert TimerRepository(store).active("reminder")[0].message == "call mom"


def test_reminder_at_a_time(run: Any) -> None:
    result = run("reminder.set", message="stretch", time="5 pm")
    assert result.speech == "OK, I'll remind you to stretch at 5 PM."


def test_reminder_without_a_time_asks_when(run: Any) -> None:
    result = run("reminder.set", message="stretch")
    assert result.speech == "When should I remind you?"


def test_list_alarms_only(run: Any) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm", name="dinner")
    result = run("timer.list", kind="alarms")
    assert result.speech == "The dinner alarm is at 7 PM."


def test_reminder_time_left_inside_the_message(run: Any) -> None:
    assert (
        run("reminder.set", message="call mom in 20 minutes").speech
        == "OK, I'll remind you to call mom in 20 minutes."
    )
    assert (
        run("reminder.set", message="water the plants at the window tomorrow at 9").speech
        == "OK, I'll remind you to water the plants at the window tomorrow at 9 AM."
    )


# --- issue 13: word orders, sensible times, replies that read well, undo -----------------


def test_an_alarm_on_another_day_without_am_or_pm_is_the_morning(run: Any) -> None:
    """The understanding stage reads "tomorrow at 6:45" as the evening (its rule for every
    skill); the alarm reads its own words again: wake-ups are in the morning."""
    said = "wake me up at 6:45 tomorrow"
    result = run("alarm.set", text=said, time="2025-03-04T18:45:00")
    assert result.speech == "Alarm set for tomorrow at 6:45 AM."


def test_an_alarm_said_in_the_evening_stays_in_the_evening(run: Any) -> None:
    result = run("alarm.set", text="set an alarm for 6:45 pm tomorrow", time="2025-03-04T18:45:00")
    assert result.speech == "Alarm set for tomorrow at 6:45 PM."
    result = run("alarm.set", text="set an alarm for 18:30 tomorrow", time="2025-03-04T18:30:00")
    assert result.speech == "Alarm set for tomorrow at 6:30 PM."


def test_an_alarm_for_seven_late_in_the_evening_is_tomorrow_morning(
    run: Any, clock: FakeClock, store: Store
) -> None:
    clock.advance(12 * 3600)  # 10 PM
    result = run("alarm.set", text="set an alarm for 7", time="7")
    assert result.speech == "Alarm set for tomorrow at 7 AM."


def test_an_alarm_on_a_weekday_says_no_on_after_for(run: Any) -> None:
    result = run("alarm.set", text="alarm for 7:30 on saturday", time="7:30 on saturday")
    assert result.speech == "Alarm set for Saturday at 7:30 AM."


def test_an_alarm_for_a_day_without_a_time_asks_what_time(run: Any, store: Store) -> None:
    result = run("alarm.set", text="wake me up tomorrow", time="2025-03-04")
    assert not result.ok
    assert result.speech == "What time tomorrow?"
    assert TimerRepository(store).active() == []


def test_listing_alarms_says_each_time_once(run: Any) -> None:
    run("alarm.set", time="tomorrow at 6:45 am")
    result = run("timer.list", kind="alarm")
    assert result.speech == "You have an alarm set for tomorrow at 6:45 AM."
    run("alarm.set", time="saturday at 7:30 am")
    assert run("timer.list", kind="alarm").speech == (
        "You have 2 alarms set, for tomorrow at 6:45 AM and Saturday at 7:30 AM."
    )


def test_a_reminder_at_five_in_the_morning_means_five_pm(run: Any) -> None:
    result = run("reminder.set", text="remind me at 5 to call mum", message="call mum", time="5")
    assert result.speech == "OK, I'll remind you to call mum at 5 PM."


def test_a_reminder_says_my_back_as_your(run: Any) -> None:
    result = run("reminder.set", message="call my bank", time="tomorrow at 9")
    assert result.speech == "OK, I'll remind you to call your bank tomorrow at 9 AM."


def test_no_timer_by_that_name_reads_well(run: Any) -> None:
    run("timer.set", duration=60)
    result = run("timer.cancel", name="eggs", kind="timer")
    assert result.speech == "You don't have a timer called eggs."
    result = run("timer.list", name="eggs")
    assert result.speech == "You don't have a timer called eggs."


def test_an_unnamed_timer_is_described_by_its_length_as_an_adjective(run: Any, store: Store) -> None:
    run("timer.set", duration=180)
    run("timer.set", duration=5400)
    result = run("timer.list")
    assert result.speech == (
        "The 3-minute timer has 3 minutes left and the timer for 1 hour and 30 minutes has "
        "1 hour and 30 minutes left."
    )


def test_egg_and_eggs_name_the_same_timer(run: Any) -> None:
    run("timer.set", duration=240, name="eggs")
    assert run("timer.list", name="egg").speech == "The eggs timer has 4 minutes left."


def test_a_reminder_is_found_by_its_words(run: Any, store: Store) -> None:
    run("reminder.set", message="call mum", duration=600)
    result = run("timer.cancel", kind="reminder", name="call mum")
    assert result.speech == "OK, I cancelled the reminder to call mum."


def test_an_alarm_is_found_by_its_time(run: Any, store: Store) -> None:
    run("alarm.set", time="saturday at 7:30 am")
    run("alarm.set", time="tomorrow at 6 am")
    result = run("timer.cancel", kind="alarm", name="7:30")
    assert result.speech == "OK, I cancelled the alarm for Saturday at 7:30 AM."
    assert len(TimerRepository(store).active("alarm")) == 1


def test_adding_time_goes_to_a_timer_not_an_alarm(run: Any) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm")
    result = run("timer.extend", duration=300)
    assert result.speech == "Added 5 minutes to your timer. It has 15 minutes left."


def test_taking_time_off_a_timer(run: Any) -> None:
    run("timer.set", duration=600, name="pasta")
    result = run("timer.reduce", duration=120, name="pasta")
    assert result.speech == "Took 2 minutes off the pasta timer. It has 8 minutes left."
    assert not run("timer.reduce", duration=900).ok


def test_pausing_is_refused_plainly(run: Any) -> None:
    run("timer.set", duration=600)
    result = run("timer.pause")
    assert not result.ok
    assert "can't pause" in result.speech


def test_cancel_all_counts_each_kind(run: Any) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm")
    run("alarm.set", time="8 pm")
    assert run("timer.cancel_all").speech == "OK, I cancelled 1 timer and 2 alarms."


def test_cancel_all_is_confirmed_in_words(registry: Any) -> None:
    from assistant.dialogue.manager import confirmation_prompt

    confirm = registry.get("timer.cancel_all").confirm
    assert (
        confirmation_prompt(confirm, {"kind": "alarm"})
        == "Are you sure you want me to cancel all your alarms?"
    )
    assert confirmation_prompt(confirm, {}) == (
        "Are you sure you want me to cancel every timer, alarm and reminder?"
    )


def _undo(registry: Any, intent: str, data: dict[str, Any], context: Any) -> str:
    spec = registry.get(intent)
    assert spec.undo is not None, intent
    return str(spec.undo(data, context))


def test_undo_a_timer_cancels_it(run: Any, registry: Any, context: Any, store: Store) -> None:
    result = run("timer.set", duration=600)
    assert result.data["timer_id"]
    assert _undo(registry, "timer.set", result.data, context) == "OK, I cancelled the 10-minute timer."
    assert TimerRepository(store).active() == []


def test_undo_an_alarm_and_a_reminder(run: Any, registry: Any, context: Any, store: Store) -> None:
    alarm = run("alarm.set", time="7 pm")
    reminder = run("reminder.set", message="stretch", duration=3600)
    assert "alarm" in _undo(registry, "alarm.set", alarm.data, context)
    assert "stretch" in _undo(registry, "reminder.set", reminder.data, context)
    assert TimerRepository(store).active() == []


def test_undo_adding_time_takes_it_back(run: Any, registry: Any, context: Any, store: Store) -> None:
    run("timer.set", duration=600, name="pasta")
    added = run("timer.extend", duration=300, name="pasta")
    reply = _undo(registry, "timer.extend", added.data, context)
    assert reply == "OK, I took the 5 minutes back off. It has 10 minutes left."
    [timer] = TimerRepository(store).active()
    assert timer.duration_seconds == 600


def test_undo_a_cancel_brings_the_timer_back(
    run: Any, registry: Any, context: Any, store: Store, clock: FakeClock
) -> None:
    run("timer.set", duration=600, name="pasta")
    clock.advance(60)
    cancelled = run("timer.cancel", name="pasta")
    reply = _undo(registry, "timer.cancel", cancelled.data, context)
    assert reply == "OK, the pasta timer is back, with 9 minutes left."
    [timer] = TimerRepository(store).active()
    assert timer.due_at == clock.now() + 540


def test_undo_cancel_all_brings_them_back(run: Any, registry: Any, context: Any, store: Store) -> None:
    run("timer.set", duration=600)
    run("alarm.set", time="7 pm")
    cancelled = run("timer.cancel_all")
    assert _undo(registry, "timer.cancel_all", cancelled.data, context) == (
        "OK, I brought back 1 timer and 1 alarm."
    )
    assert len(TimerRepository(store).active()) == 2


def test_undo_after_a_timer_went_off_says_so(run: Any, registry: Any, context: Any, clock: FakeClock) -> None:
    result = run("timer.set", duration=60)
    clock.advance(120)
    try:
        _undo(registry, "timer.set", result.data, context)
    except Exception as error:  # SkillError: said to the user
        assert "already gone off" in str(error)
    else:
        raise AssertionError("undo of a finished timer should refuse")


def test_announcements_use_the_length_as_an_adjective(run: Any, store: Store) -> None:
    from assistant.skills.scheduler import announcement, missed_summary

    run("timer.set", duration=180)
    run("timer.set", duration=5400)
    short, long = sorted(TimerRepository(store).active(), key=lambda t: t.due_at)
    assert announcement(short) == "Your 3-minute timer is done."
    assert announcement(long) == "Your timer for 1 hour and 30 minutes is done."
    assert missed_summary([short]).startswith("While you were away, your 3-minute timer went off at ")


def test_time_left_is_told_to_the_minute(run: Any, clock: FakeClock) -> None:
    run("timer.set", duration=600, name="pasta")
    clock.advance(6)
    assert run("timer.list").speech == "The pasta timer has 10 minutes left."
    clock.advance(8 * 60 + 24)
    assert run("timer.list").speech == "The pasta timer has 1 minute and 30 seconds left."


def test_an_unreadable_length_asks_again(run: Any) -> None:
    result = run("timer.set", duration="a little while")
    assert result.asks_for == "duration"


def test_a_reminder_without_a_time_asks_for_the_time_slot(run: Any) -> None:
    assert run("reminder.set", message="stretch").asks_for == "time"


def test_a_reminder_about_a_thing_says_about(run: Any) -> None:
    result = run("reminder.set", text="remind me about the meeting at 3", message="the meeting", time="3")
    assert result.speech == "OK, I'll remind you about the meeting at 3 PM."


def test_a_day_left_in_the_message_goes_with_the_time(run: Any) -> None:
    said = "set a reminder about the dentist tomorrow at 10"
    result = run("reminder.set", text=said, message="the dentist tomorrow", time="2025-03-03T22:00:00")
    assert result.speech == "OK, I'll remind you about the dentist tomorrow at 10 AM."


def test_a_time_said_today_that_has_passed_is_refused(run: Any, clock: FakeClock) -> None:
    clock.advance(8 * 3600)  # 6 PM
    result = run("reminder.set", message="call the dentist", time="at 5 pm today")
    assert result.speech == "That time has already passed."


def test_british_half_six_and_slipped_units() -> None:
    from datetime import datetime

    from assistant.skills.parsing import parse_duration, parse_time

    assert parse_time("half six tomorrow", datetime(2025, 3, 3, 17, 30)) == datetime(2025, 3, 4, 6, 30)
    assert parse_duration("five minuets") == 300
    assert parse_duration("5 more minutes") == 300


def test_a_length_read_as_a_name_is_the_length(run: Any) -> None:
    assert run("timer.set", name="ten minutes").speech == "Timer set for 10 minutes."


def test_a_timer_named_without_a_length_asks_for_it(run: Any) -> None:
    result = run("timer.set", name="pasta")
    assert result.asks_for == "duration"
    assert result.speech == "For how long?"


def test_a_number_and_a_unit_make_the_length(run: Any) -> None:
    assert run("timer.set", amount=10, unit="minute").speech == "Timer set for 10 minutes."
    assert run("timer.set", amount=45, unit="second", name="tea").speech.startswith(
        "Tea timer set for 45 seconds."
    )


def test_which_one_is_a_question_for_the_name(run: Any, store: Store) -> None:
    run("timer.set", duration=300)
    run("timer.set", duration=900)
    asked = run("timer.cancel")
    assert asked.asks_for == "name"
    answered = run("timer.cancel", name="cancel the 5 minute timer")
    assert answered.speech == "OK, I cancelled the 5-minute timer."
    assert [t.duration_seconds for t in TimerRepository(store).active()] == [900]


def test_a_reminder_about_a_thing_is_described_about_it(run: Any, store: Store) -> None:
    from assistant.skills.scheduler import announcement, missed_summary

    run("reminder.set", message="the dentist", duration=600)
    assert run("timer.list").speech == "The reminder about the dentist is at 10:10 AM."
    [reminder] = TimerRepository(store).active()
    assert announcement(reminder) == "Reminder: the dentist."
    assert "you had a reminder about the dentist at" in missed_summary([reminder])


def test_remind_me_that_keeps_that(run: Any) -> None:
    said = "remind me that the bins go out tonight"
    result = run("reminder.set", text=said, message="the bins go out tonight")
    assert result.speech == "OK, I'll remind you that the bins go out at 8 PM."


def test_a_vague_length_is_asked_about_not_guessed(run: Any, store: Store) -> None:
    for words, question in [("a few minutes", "How many minutes?"), ("a little while", "For how long?"),
                            ("in a bit", "For how long?"), ("a few hours", "For how long?")]:  # fmt: skip
        by_name = run("timer.set", text=f"set a timer for {words}", name=words)
        assert (by_name.ok, by_name.speech) == (False, question)
        as_length = run("timer.set", duration=words)
        assert (as_length.ok, as_length.speech) == (False, question)
    assert TimerRepository(store).active() == []


def test_the_answer_to_how_many_minutes_sets_an_unnamed_timer(run: Any, store: Store) -> None:
    result = run("timer.set", text="set a timer for a few minutes", name="a few minutes", duration=300)
    assert result.speech == "Timer set for 5 minutes."
    assert TimerRepository(store).active()[0].label == ""


def test_a_name_made_of_duration_words_is_part_of_the_length(run: Any, store: Store) -> None:
    """The bug: "a timer for a quarter of an hour" was a "Quarter timer set for 1 hour"."""
    result = run(
        "timer.set", text="could you set a timer for a quarter of an hour", name="a quarter", duration=3600
    )
    assert result.speech == "Timer set for 15 minutes."
    [timer] = TimerRepository(store).active()
    assert (timer.label, timer.duration_seconds) == ("", 900)


def test_a_name_made_of_duration_words_alone_is_the_length(run: Any) -> None:
    result = run("timer.set", text="set a timer for half an hour", name="half an hour")
    assert result.speech == "Timer set for 30 minutes."


def test_a_real_name_beside_a_length_stays(run: Any) -> None:
    result = run("timer.set", text="set a pasta timer for a quarter of an hour", name="pasta", duration=900)
    assert result.speech == "Pasta timer set for 15 minutes."


def test_cancel_by_a_length_said_as_the_duration(run: Any, store: Store) -> None:
    run("timer.set", duration=300)
    run("timer.set", duration=180, name="tea")
    result = run("timer.cancel", duration="5 minutes", kind="timer")
    assert result.speech == "OK, I cancelled the 5-minute timer."
    assert [t.label for t in TimerRepository(store).active()] == ["tea"]
