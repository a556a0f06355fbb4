"""TeachingService: what the UI and CLI call. Everything taught is usable at once."""

from __future__ import annotations

import pytest

from assistant.core import Assistant
from assistant.memory.teaching_records import NameClash, TeachingError, UnknownStep
from tests.teach.conftest import say, timers


def test_a_saved_command_is_understood_and_runs_its_steps(assistant: Assistant) -> None:
    command = assistant.teaching.save_command(
        "tea break", ["tea break"], ["set a timer for 4 minutes", "add tea to my reading list"]
    )
    assert [step.intent for step in command.steps] == ["timer.set", "list.add"]
    turn = say(assistant, "tea break")
    assert turn.intent == "custom.tea_break"
    assert turn.outcome == "success"
    assert [(a.name, a.ok) for a in turn.actions] == [
        ("custom.tea_break", True),
        ("timer.set", True),
        ("list.add", True),
    ]
    assert timers(assistant)[0][1] == 240


def test_a_taught_command_is_understood_at_once(assistant: Assistant) -> None:
    # how fast is measured in benchmarks/nlu.py (teach -> usable), not asserted here
    assistant.teaching.save_command("quick one", ["quick one"], ["set a timer for 1 minute"])
    candidate = assistant.understand("quick one")
    assert candidate is not None and candidate.intent == "custom.quick_one"
    assert assistant.teaching.last_teach_ms > 0  # the time is recorded for the benchmark


def test_parameters_flow_from_the_phrase_into_the_steps(assistant: Assistant) -> None:
    command = assistant.teaching.save_command("focus", ["focus for N minutes"], ["set a timer for N minutes"])
    assert command.triggers == ["focus for {n} minutes"]
    assert command.parameters == ["n"]
    turn = say(assistant, "focus for 25 minutes")
    assert turn.intent == "custom.focus" and turn.outcome == "success"
    assert timers(assistant)[0][1] == 25 * 60
    say(assistant, "focus for 10 minutes")
    assert sorted(t[1] for t in timers(assistant)) == [600, 1500]


def test_an_unknown_step_stores_nothing(assistant: Assistant) -> None:
    with pytest.raises(UnknownStep, match="fly to the moon"):
        assistant.teaching.save_command("trip", ["trip"], ["set a timer for 5 minutes", "fly to the moon"])
    assert assistant.teaching.commands() == []


def test_a_phrase_that_already_means_something_is_a_clash(assistant: Assistant) -> None:
    with pytest.raises(NameClash) as clash:
        assistant.teaching.save_command("timer", ["set a timer for 5 minutes"], ["what time is it"])
    assert clash.value.kind == "built-in"
    assistant.teaching.save_command("tea", ["tea time"], ["set a timer for 4 minutes"])
    with pytest.raises(NameClash, match="already runs the command"):
        assistant.teaching.save_command("other", ["tea time"], ["what time is it"])
    with pytest.raises(NameClash) as exists:
        assistant.teaching.save_command("tea", ["tea time"], ["what time is it"], replace=False)
    assert exists.value.kind == "exists"


def test_rename_delete_and_undo(assistant: Assistant) -> None:
    teaching = assistant.teaching
    teaching.save_command("reading mode", [], ["set a timer for 20 minutes"])
    teaching.rename_command("reading mode", "study mode")
    assert say(assistant, "study mode").intent == "custom.study_mode"
    assert say(assistant, "reading mode").intent != "custom.reading_mode"
    teaching.delete_command("study mode")
    assert say(assistant, "study mode").intent != "custom.study_mode"
    assert teaching.undo() == "OK, I know the command \u201cstudy mode\u201d again."
    assert say(assistant, "study mode").intent == "custom.study_mode"
    with pytest.raises(TeachingError):
        teaching.delete_command("nothing like this")


def test_preview_says_what_would_happen_without_doing_it(assistant: Assistant) -> None:
    assistant.teaching.save_command("tea break", ["tea break"], ["set a timer for 4 minutes"])
    assert "start a 4-minute timer" in assistant.teaching.preview("tea break")
    assert "timer" in assistant.teaching.preview("set a timer for 3 minutes").lower()
    assert timers(assistant) == []


def test_an_alias_means_its_target_and_can_be_forgotten(assistant: Assistant) -> None:
    assistant.teaching.save_alias("tea please", "set a timer for 4 minutes")
    turn = say(assistant, "tea please")
    assert (turn.intent, turn.rewritten) == ("timer.set", "set a timer for 4 minutes")
    assert say(assistant, "tee please").intent == "timer.set"  # a near spelling still counts
    assistant.teaching.delete_alias("tea please")
    assert say(assistant, "tea please").intent != "timer.set"
    with pytest.raises(UnknownStep):
        assistant.teaching.save_alias("moon", "fly to the moon")


def test_preferences_are_stored_cached_and_forgotten(assistant: Assistant) -> None:
    teaching = assistant.teaching
    teaching.set_preference("name", "Sam")
    teaching.set_preference("music_genre", "jazz")
    assert teaching.preferences()["user_name"] == "Sam"
    assert teaching.preferences()["genre"] == "jazz"  # the slot it fills
    assert teaching.default_slot("music.play", "genre") == "jazz"
    row = next(r for r in teaching.preference_rows() if r.key == "music_genre")
    assert (row.category, row.source) == ("music", "said")
    teaching.forget_preference("jazz")
    assert "music_genre" not in teaching.preferences()
    assert teaching.forget_all_preferences() == 1
    assert teaching.preferences() == {}


def test_a_change_from_another_process_is_seen(assistant: Assistant) -> None:
    from assistant.memory.aliases import AliasRepository
    from assistant.memory.store import Store

    other = Store(assistant.store.path)
    AliasRepository(other).save("tea please", "set a timer for 4 minutes")
    other.close()
    assert say(assistant, "tea please").intent == "timer.set"


def test_export_then_import_into_a_fresh_home_behaves_the_same(assistant: Assistant, tmp_path) -> None:
    from assistant.core import open_assistant

    teaching = assistant.teaching
    teaching.save_command("focus", ["focus for N minutes"], ["set a timer for N minutes"])
    teaching.save_alias("tea please", "set a timer for 4 minutes")
    teaching.set_preference("home_city", "Boston")
    data = teaching.export_data()
    fresh = open_assistant(tmp_path / "fresh", plugins=False)
    try:
        report = fresh.teaching.import_data(data)
        assert report.ok, report.summary()
        assert say(fresh, "focus for 5 minutes").intent == "custom.focus"
        assert say(fresh, "tea please").intent == "timer.set"
        assert fresh.teaching.preferences()["home_city"] == "Boston"
        assert sorted(t[1] for t in timers(fresh)) == [240, 300]
    finally:
        fresh.close()


def test_a_command_taught_with_an_example_number_takes_any_number(assistant: Assistant) -> None:
    say(assistant, "when I say focus for 25 minutes, set a timer for 25 minutes")
    turn = say(assistant, "focus for 10 minutes")
    assert turn.outcome == "success", turn.reply
    assert [round(seconds) for _, seconds in timers(assistant)] == [600]
