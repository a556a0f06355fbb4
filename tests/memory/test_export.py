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
from assistant.memory.teaching_records import CommandStep


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
    assert again["timers"] == []  # running timers stay with the home that set them
    assert report.left_out == {"timers": 1}


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


# --- what an import brings, and what it refuses ------------------------------------------


def test_running_timers_come_only_when_asked(filled: Store, tmp_path: Path) -> None:
    fresh = Store(tmp_path / "d.db")
    report = import_all(fresh, export_all(filled), with_timers=True)
    assert report.ok and report.added["timers"] == 1
    assert [t["label"] for t in export_all(fresh)["timers"]] == ["tea"]


def test_the_report_says_what_was_imported_and_left_out(filled: Store, tmp_path: Path) -> None:
    report = import_all(Store(tmp_path / "e.db"), export_all(filled))
    summary = report.summary()
    assert summary.startswith("Imported 1 command, 1 alias, 1 preference, 1 list and 2 learned things.")
    assert "Left out 1 running timer" in summary and "--with-timers" in summary
    assert "--with-timers" not in report.summary(flags=False)


def test_an_export_says_what_it_carries(filled: Store) -> None:
    from assistant.memory.export import describe_contents

    with filled.transaction() as db:
        notes = db.table("lists").insert({"name": "notes", "created_at": 1.0}).last_pk
        db.table("list_items").insert_all(
            [{"list_id": notes, "text": t, "created_at": 1.0} for t in ("a", "b")]
        )
    assert describe_contents(export_all(filled)) == (
        "1 command, 1 alias, 1 preference, 1 list, 2 notes, 2 learned things and 1 running timer"
    )


def test_settings_travel_only_when_asked_and_are_checked(filled: Store, tmp_path: Path) -> None:
    from assistant.config import Settings

    data = export_all(filled, settings=Settings(wake_phrase="hey desk"))
    report = import_all(Store(tmp_path / "f.db"), data)
    assert report.ok and report.settings is None and report.left_out["settings"] == 1
    report = import_all(Store(tmp_path / "g.db"), data, with_settings=True)
    assert report.settings is not None and report.settings.wake_phrase == "hey desk"
    data["settings"]["wake_sensitivity"] = 2
    fresh = Store(tmp_path / "h.db")
    refused = import_all(fresh, data)
    assert not refused.ok and "wake_sensitivity must be a number from 0 to 1" in refused.summary()
    assert PreferenceRepository(fresh).all() == []


def _refused(store: Store, data: object) -> str:
    report = import_all(store, data, with_timers=True)
    assert not report.ok
    assert PreferenceRepository(store).all() == [] and store.db["timers"].count == 0
    summary = report.summary()
    assert summary.startswith("Nothing imported:") and "\n" not in summary
    return summary


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"kind": "nuke"}, "unknown timer kind 'nuke'"),
        ({"due_at": 1e308}, "not within the next ten years"),
        ({"due_at": "soon"}, "'due_at' must be a number"),
        ({"duration_seconds": -5}, "is not a number of seconds"),
        ({"label": 5}, "'label' must be a text"),
    ],
)
def test_a_bad_timer_refuses_the_whole_file(
    filled: Store, tmp_path: Path, change: dict[str, object], said: str
) -> None:
    data = export_all(filled)
    data["timers"][0].update(change)
    assert said in _refused(Store(tmp_path / "i.db"), data)


def test_a_bad_timer_is_refused_even_when_timers_are_left_out(filled: Store, tmp_path: Path) -> None:
    data = export_all(filled)
    data["timers"][0]["kind"] = "nuke"
    assert not import_all(Store(tmp_path / "j.db"), data).ok


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"timers": [{"kind": "timer", "due_at": NaN}]}', "NaN"),
        ('{"timers": [{"kind": "timer", "due_at": Infinity}]}', "Infinity"),
        ("[" * 200_000 + "]" * 200_000, "nests deeper"),
        ("{not json", "not JSON"),
    ],
)
def test_unusable_json_is_refused_in_one_line(text: str, said: str) -> None:
    from assistant.memory.export import ExportError, parse_export

    with pytest.raises(ExportError, match=said) as caught:
        parse_export(text)
    assert "\n" not in str(caught.value)


def test_lone_surrogates_and_deep_nesting_are_refused(filled: Store, tmp_path: Path) -> None:
    from assistant.memory.export import parse_export

    data = export_all(filled)
    data["lists"][0]["items"].append({"text": parse_export('"mi\\ud800lk"')})
    assert "not valid Unicode" in _refused(Store(tmp_path / "k.db"), data)
    deep: object = "bottom"
    for _ in range(100):
        deep = [deep]
    data = export_all(filled)
    data["rewrites"][0]["evidence"] = deep
    assert "nests deeper" in _refused(Store(tmp_path / "l.db"), data)


@pytest.mark.parametrize(
    ("section", "change", "said"),
    [
        ("preferences", {"created_at": 1e20}, "'created_at' is not a time"),
        ("preferences", {"category": ["x"]}, "'category' must be a text"),
        ("rewrites", {"status": "boss"}, "'status' must be one of"),
        ("rewrites", {"successes": -1}, "'successes' must be a count"),
        ("rewrites", {"probability": 7}, "'probability' must be from 0 to 1"),
        ("offers", {"declined": "many"}, "'declined' must be a count"),
        ("offers", {"data": [1]}, "'data' must be an object"),
        ("lists", {"items": [{"text": "milk"}, 5]}, "each item must be a text"),
    ],
)
def test_every_field_is_checked(
    filled: Store, tmp_path: Path, section: str, change: dict[str, object], said: str
) -> None:
    data = export_all(filled)
    data[section][0].update(change)
    assert said in _refused(Store(tmp_path / "m.db"), data)


def test_rows_without_a_time_export_and_import_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "old.db")
    with store.transaction() as db:
        list_id = db["lists"].insert({"name": "errands", "created_at": None}).last_pk
        db["list_items"].insert({"list_id": list_id, "text": "stamps", "created_at": None})
    data = json.loads(json.dumps(export_all(store)))
    assert data["lists"][0]["items"][0]["created_at"] is None
    fresh = Store(tmp_path / "new.db")
    report = import_all(fresh, data)
    assert report.ok, report.summary()
    assert [item["text"] for item in export_all(fresh)["lists"][0]["items"]] == ["stamps"]
