"""Export everything as JSON; import it all or nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from assistant.memory.aliases import AliasRepository
from assistant.memory.commands import CommandRepository
from assistant.memory.export import export_all, import_all
from assistant.memory.offers import OfferRepository
from assistant.memory.preferences import PreferenceRepository
from assistant.memory.store import Store
from assistant.teach.models import CommandStep


@pytest.fixture
def filled(tmp_path: Path) -> Store:
    store = Store(tmp_path / "one.db")
    PreferenceRepository(store).set("user_name", "Sam", "identity")
    CommandRepository(store).save(
        "focus", ["focus for {n} minutes"], [CommandStep("set a timer for {n} minutes", "timer.set", {})]
    )
    AliasRepository(store).save("lights out", "cancel all timers")
    OfferRepository(store).declined("teach", "lamp please")
    with store.transaction() as db:
        list_id = db["lists"].insert({"name": "shopping", "created_at": 1.0}).last_pk
        db["list_items"].insert_all(
            [{"list_id": list_id, "text": t, "created_at": 1.0} for t in ("milk", "eggs")]
        )
        db["timers"].insert(
            {
                "kind": "timer",
                "label": "tea",
                "due_at": time.time() + 600,
                "created_at": 1.0,
                "state": "active",
                "duration_seconds": 600,
            }
        )
        db["timers"].insert(
            {
                "kind": "timer",
                "label": "old",
                "due_at": time.time() - 600,
                "created_at": 1.0,
                "state": "fired",
            }
        )
        db["rewrites"].insert(
            {
                "source_text": "lamp on",
                "target_text": "turn on the lamp",
                "status": "trusted",
                "successes": 3,
                "failures": 0,
                "probability": 0.9,
                "evidence_json": "{}",
                "created_at": 1.0,
                "updated_at": 1.0,
            }
        )
    return store


def test_export_is_readable_json_of_everything(filled: Store) -> None:
    data = json.loads(json.dumps(export_all(filled)))
    assert data["format"] == "desk-assistant-export"
    assert data["preferences"][0]["value"] == "Sam"
    assert data["commands"][0]["triggers"] == ["focus for {n} minutes"]
    assert data["aliases"][0]["target"] == "cancel all timers"
    assert data["lists"] == [
        {
            "name": "shopping",
            "created_at": 1.0,
            "items": [{"text": "milk", "created_at": 1.0}, {"text": "eggs", "created_at": 1.0}],
        }
    ]
    assert [t["label"] for t in data["timers"]] == ["tea"]
    assert data["rewrites"][0]["target_text"] == "turn on the lamp"
    assert data["offers"][0]["status"] == "declined"


def test_import_into_a_fresh_store_gives_the_same_export(filled: Store, tmp_path: Path) -> None:
    data = export_all(filled)
    fresh = Store(tmp_path / "two.db")
    report = import_all(fresh, data)
    assert report.ok, report.summary()
    again = export_all(fresh)
    volatile = ("created_at", "updated_at", "source", "last_at")

    def strip(items: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in item.items() if k not in volatile} for item in items]

    for section in ("preferences", "commands", "aliases", "lists", "rewrites", "offers"):
        assert strip(again[section]) == strip(data[section]), section
    assert [t["label"] for t in again["timers"]] == ["tea"]


def test_importing_the_same_file_twice_changes_nothing(filled: Store) -> None:
    report = import_all(filled, export_all(filled))
    assert report.ok and not report.added and not report.conflicts
    assert sum(report.unchanged.values()) >= 5


def test_a_conflict_stops_the_whole_import(filled: Store, tmp_path: Path) -> None:
    data = export_all(filled)
    data["preferences"].append({"key": "home_city", "value": "Boston", "category": "location"})
    data["aliases"][0]["target"] = "what time is it"
    report = import_all(filled, data)
    assert not report.ok
    assert any("lights out" in conflict for conflict in report.conflicts)
    assert PreferenceRepository(filled).get("home_city") is None  # the new one was not written either
    assert AliasRepository(filled).get("lights out").target == "cancel all timers"


def test_replace_lets_the_file_win(filled: Store) -> None:
    data = export_all(filled)
    data["aliases"][0]["target"] = "what time is it"
    report = import_all(filled, data, replace=True)
    assert report.ok and report.replaced == {"aliases": 1}
    assert AliasRepository(filled).get("lights out").target == "what time is it"


def test_a_bad_file_is_reported_and_nothing_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    data = {
        "format": "desk-assistant-export",
        "preferences": [{"key": "user_name", "value": "Sam"}],
        "commands": [{"name": "x", "triggers": [], "steps": []}],
        "aliases": "nope",
    }
    report = import_all(store, data)
    assert not report.ok
    assert any("aliases" in error for error in report.errors)
    assert PreferenceRepository(store).all() == []
    assert not import_all(store, ["not", "an", "object"]).ok


def test_unknown_step_intents_are_refused(filled: Store, tmp_path: Path) -> None:
    report = import_all(Store(tmp_path / "b.db"), export_all(filled), known_intents={"list.add"})
    assert not report.ok
    assert any("timer.set" in error for error in report.errors)


def test_a_failure_while_writing_leaves_nothing(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Store(tmp_path / "c.db")
    calls = {"n": 0}
    original = AliasRepository.save

    def failing_save(self: AliasRepository, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        raise OSError("disk full")

    monkeypatch.setattr(AliasRepository, "save", failing_save)
    with pytest.raises(OSError):
        import_all(fresh, export_all(filled))
    monkeypatch.setattr(AliasRepository, "save", original)
    assert calls["n"] == 1
    assert PreferenceRepository(fresh).all() == [] and CommandRepository(fresh).all() == []
    assert fresh.db["lists"].count == 0
