"""Routines, follow-up suggestions and hunches as pure algorithms."""

from __future__ import annotations

import time

from assistant.learn import suggestions
from assistant.learn.actions import action_events
from assistant.learn.hunches import Timeline, in_quiet_hours, judge, spoken_time
from assistant.learn.routines import find_routines, routine_just_done, routine_name

DAY = 86400.0
MONDAY = time.mktime((2024, 1, 1, 0, 0, 0, 0, 0, -1))


def _row(at: float, text: str, intent: str, **slots: object) -> dict[str, object]:
    return {"started_at": at, "text": text, "intent": intent, "slots": dict(slots), "source": "rules"}


def _focus_days(days: int, gap: float = 60) -> list[dict[str, object]]:
    rows = []
    for day in range(days):
        at = MONDAY + day * DAY + 9 * 3600
        rows.append(_row(at, "set the lamp to full", "light.set", device="desk lamp", brightness=100))
        rows.append(_row(at + gap, "start a 25 minute timer", "timer.set", duration=1500))
        rows.append(_row(at + 3 * 3600, "what time is it", "time.now"))
    return rows


def test_actions_done_together_on_three_days_are_a_routine() -> None:
    routines = find_routines(action_events(_focus_days(3)))
    assert [r.texts for r in routines] == [["set the lamp to full", "start a 25 minute timer"]]
    assert routines[0].describe() == "set the lamp to full and start a 25 minute timer"


def test_two_days_are_not_enough() -> None:
    assert find_routines(action_events(_focus_days(2))) == []


def test_steps_far_apart_are_not_a_routine() -> None:
    assert find_routines(action_events(_focus_days(5, gap=3600))) == []


def test_the_routine_just_done_is_recognised() -> None:
    events = action_events(_focus_days(4)[:-1])  # the day ends right after the timer
    candidate = routine_just_done(events, find_routines(events))
    assert candidate is not None and candidate.days == 4


def test_routine_name_from_answers() -> None:
    assert routine_name("Yes, call it focus time.") == "focus time"
    assert routine_name("focus time") == "focus time"


def test_pmi_suggests_the_usual_next_action() -> None:
    statistics = suggestions.pair_statistics(action_events(_focus_days(4)))
    after = action_events(_focus_days(1))[0].key
    follow_up = suggestions.best_follow_up(statistics, after)
    assert follow_up is not None and follow_up.text == "start a 25 minute timer"
    assert follow_up.pmi > 0 and follow_up.conditional == 1.0


def test_no_suggestion_without_enough_support() -> None:
    statistics = suggestions.pair_statistics(action_events(_focus_days(2)))
    assert suggestions.best_follow_up(statistics, action_events(_focus_days(1))[0].key) is None


def test_declined_suggestions_stop() -> None:
    assert suggestions.worth_offering(accepted=0, declined=0)
    assert suggestions.worth_offering(accepted=0, declined=1)
    assert not suggestions.worth_offering(accepted=0, declined=2)
    assert suggestions.worth_offering(accepted=3, declined=2)


def _evenings(days: int) -> Timeline:
    """Lamp on 18:00-22:30 each day."""
    times, values = [], []
    for day in range(days):
        start = MONDAY + day * DAY
        times += [start + 18 * 3600, start + 22.5 * 3600]
        values += [True, False]
    return Timeline(times, values)


def test_lamp_on_at_one_in_the_morning_is_a_hunch() -> None:
    now = MONDAY + 14 * DAY + 1 * 3600
    hunch = judge("light.desk", "desk lamp", True, _evenings(14), now)
    assert hunch is not None and hunch.usual == "off"
    assert hunch.message == "The desk lamp is still on. It's usually off by 10:30 p.m."


def test_lamp_on_in_the_evening_is_usual() -> None:
    assert judge("light.desk", "desk lamp", True, _evenings(14), MONDAY + 14 * DAY + 19 * 3600) is None


def test_too_little_history_gives_no_hunch() -> None:
    assert judge("light.desk", "desk lamp", True, _evenings(3), MONDAY + 3 * DAY + 3600) is None


def test_quiet_hours_wrap_midnight() -> None:
    assert in_quiet_hours("22:00-07:00", MONDAY + 23 * 3600)
    assert in_quiet_hours("22:00-07:00", MONDAY + 1 * 3600)
    assert not in_quiet_hours("22:00-07:00", MONDAY + 12 * 3600)
    assert not in_quiet_hours("", MONDAY)


def test_spoken_time() -> None:
    assert spoken_time(MONDAY + 23 * 3600) == "11 p.m."
    assert spoken_time(MONDAY + 9.5 * 3600) == "9:30 a.m."
