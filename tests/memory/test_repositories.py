"""Repositories: every change is logged with its before/after, and can be undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.memory.aliases import AliasRepository
from assistant.memory.changes import ChangeConflict, ChangeLog
from assistant.memory.commands import CommandRepository
from assistant.memory.offers import OfferRepository
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.store import Store
from assistant.memory.teaching_records import CommandStep, TeachingError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "assistant.db")


STEPS = [CommandStep("set a timer for 20 minutes", "timer.set", {"duration": 1200})]


def test_a_preference_is_stored_with_category_source_and_time(store: Store) -> None:
    saved = PreferenceRepository(store).set("home_city", "Boston", "location", "said", now=100.0)
    assert (saved.category, saved.key, saved.value, saved.source, saved.created_at) == (
        "location",
        "home_city",
        "Boston",
        "said",
        100.0,
    )
    assert PreferenceRepository(store).as_dict() == {"home_city": "Boston"}


def test_changing_a_preference_logs_before_and_after_and_undo_restores(store: Store) -> None:
    preferences = PreferenceRepository(store)
    preferences.set("music_genre", "jazz", "music")
    preferences.set("music_genre", "blues", "music")
    change = ChangeLog(store).recent(1)[0]
    assert change.action == "update"
    assert change.before["preferences"][0]["value"] == "jazz"
    assert change.after["preferences"][0]["value"] == "blues"
    ChangeLog(store).undo()
    assert preferences.as_dict() == {"music_genre": "jazz"}


def test_forgetting_everything_is_one_undoable_change(store: Store) -> None:
    preferences = PreferenceRepository(store)
    preferences.set("user_name", "Sam", "identity")
    preferences.set("home_city", "Boston", "location")
    assert preferences.delete_all() == 2
    assert preferences.as_dict() == {}
    ChangeLog(store).undo()
    assert preferences.as_dict() == {"user_name": "Sam", "home_city": "Boston"}


def test_a_command_is_saved_with_triggers_and_steps_in_order(store: Store) -> None:
    steps = STEPS + [CommandStep("add reading to my notes", "note.add", {"note": "reading"})]
    saved = CommandRepository(store).save("reading mode", ["reading mode", "study time"], steps, "cli")
    loaded = CommandRepository(store).get("reading mode")
    assert loaded == saved
    assert [s.intent for s in loaded.steps] == ["timer.set", "note.add"]
    assert loaded.intent == "custom.reading_mode"


def test_a_trigger_belongs_to_one_command(store: Store) -> None:
    commands = CommandRepository(store)
    commands.save("a", ["go now"], STEPS)
    with pytest.raises(TeachingError, match="already runs the command"):
        commands.save("b", ["go now"], STEPS)
    assert commands.get("b") is None


def test_deleting_a_command_then_undo_brings_it_back_whole(store: Store) -> None:
    commands = CommandRepository(store)
    saved = commands.save("reading mode", ["reading mode"], STEPS)
    commands.delete("reading mode")
    assert commands.get("reading mode") is None
    assert store.db["command_steps"].count == 0
    ChangeLog(store).undo()
    assert commands.get("reading mode") == saved


def test_undo_of_a_rename_and_of_a_creation(store: Store) -> None:
    commands = CommandRepository(store)
    commands.save("reading mode", ["reading mode"], STEPS)
    renamed = commands.rename("reading mode", "study mode")
    assert renamed.triggers == ["study mode"]
    log = ChangeLog(store)
    log.undo()
    assert commands.get("reading mode") is not None and commands.get("study mode") is None
    log.undo()
    assert commands.all() == []
    with pytest.raises(ChangeConflict, match="nothing to undo"):
        log.undo()


def test_undo_refuses_when_the_thing_changed_since(store: Store) -> None:
    aliases = AliasRepository(store)
    aliases.save("lights out", "cancel all timers")
    first = ChangeLog(store).recent(1)[0]
    aliases.save("lights out", "what time is it")
    with pytest.raises(ChangeConflict, match="changed since"):
        ChangeLog(store).undo(first.id)
    assert aliases.get("lights out").target == "what time is it"


def test_an_undone_change_cannot_be_undone_twice(store: Store) -> None:
    AliasRepository(store).save("lights out", "cancel all timers")
    change = ChangeLog(store).recent(1)[0]
    ChangeLog(store).undo(change.id)
    with pytest.raises(ChangeConflict, match="already undone"):
        ChangeLog(store).undo(change.id)


def test_offers_remember_declines(store: Store) -> None:
    offers = OfferRepository(store)
    assert offers.may_offer("teach", "lamp please")
    offers.offered("teach", "lamp please", {"turn": 3})
    assert not offers.may_offer("teach", "lamp please")
    assert offers.may_offer("teach", "lamp please", max_times=2)
    offers.declined("teach", "lamp please")
    assert offers.was_declined("teach", "lamp please")
    assert not offers.may_offer("teach", "lamp please", max_times=5)
    offer = offers.get("teach", "lamp please")
    assert (offer.offered, offer.declined, offer.data) == (1, 1, {"turn": 3})


def test_offering_again_can_keep_the_last_answer_and_merge_data(store: Store) -> None:
    offers = OfferRepository(store)
    first = offers.offered("routine", "a -> b", {"steps": ["a", "b"]}, now=10.0, keep_answer=True)
    assert (first.status, first.offered, first.last_at) == ("offered", 1, 10.0)
    assert first.data == {"steps": ["a", "b"]}
    offers.answered("routine", "a -> b", False, now=11.0)
    again = offers.offered("routine", "a -> b", {"days": 3}, now=12.0, keep_answer=True)
    assert (again.status, again.offered, again.declined, again.last_at) == ("declined", 2, 1, 12.0)
    assert again.data == {"steps": ["a", "b"], "days": 3}


def test_an_answer_to_an_offer_never_made_is_not_stored(store: Store) -> None:
    offers = OfferRepository(store)
    assert offers.answered("suggestion", "x", True, now=5.0) is None
    assert offers.all() == []
    offers.offered("suggestion", "x", now=4.0)
    answered = offers.answered("suggestion", "x", True, now=5.0)
    assert answered is not None
    assert (answered.status, answered.offered, answered.accepted, answered.last_at) == ("accepted", 1, 1, 5.0)
