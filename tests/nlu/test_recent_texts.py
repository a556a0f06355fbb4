"""A request said again reuses its scores and template matches (model.RECENT_TEXTS,
templates.RECENT_MATCHES), yet reads exactly as it would afresh: after a change of lists,
taught intents or the clock, and whatever the caller did with the last readings."""

from __future__ import annotations

from datetime import datetime

from assistant.nlu.engine import Understanding


def test_a_request_said_again_reads_the_same(understanding: Understanding) -> None:
    first = understanding.parse("set a timer for ten minutes")
    again = understanding.parse("set a timer for ten minutes")
    assert again == first
    assert (again[0].intent, again[0].source) == ("StartTimer", "rules")


def test_changing_the_last_readings_changes_nothing_said_again(understanding: Understanding) -> None:
    first = understanding.parse("switch on the desk lamp")
    first[0].slots["name"] = "light.kitchen"
    first[0].source = "dialogue"  # type: ignore[assignment]
    again = understanding.parse("switch on the desk lamp")[0]
    assert (again.source, again.slots) == ("rules", {"name": "light.desk"})


def test_a_request_said_again_sees_a_changed_list(understanding: Understanding) -> None:
    assert understanding.parse("turn on the standing desk")[0].slots.get("name") != "desk.motor"
    understanding.set_list("name", {"standing desk": "desk.motor"})
    assert understanding.parse("turn on the standing desk")[0].slots == {"name": "desk.motor"}


def test_a_request_said_again_sees_what_was_taught_and_forgotten(understanding: Understanding) -> None:
    assert understanding.parse("please begin my deep work")[0].intent != "FocusMode"
    understanding.teach("FocusMode", ["start focus mode", "time to concentrate", "begin deep work"])
    assert understanding.parse("please begin my deep work")[0].intent == "FocusMode"
    understanding.forget("FocusMode")
    assert understanding.parse("please begin my deep work")[0].intent != "FocusMode"


def test_a_request_said_again_reads_its_time_on_the_clock_of_now(understanding: Understanding) -> None:
    assert understanding.parse("wake me up at half past six")[0].slots == {"time": "2024-05-08T18:30:00"}
    understanding.now = lambda: datetime(2024, 5, 9, 19, 0)
    assert understanding.parse("wake me up at half past six")[0].slots == {"time": "2024-05-10T06:30:00"}
