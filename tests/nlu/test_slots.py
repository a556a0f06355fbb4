from __future__ import annotations

from assistant.nlu.slots import Catalogue, parse_typed, slot_kind

DEVICES = Catalogue(
    {"desk lamp": "light.desk", "ceiling light": "light.ceiling", "kitchen speaker": "media.kitchen"}
)


def test_sound_alike_resolves_to_catalogue_entry() -> None:
    found = DEVICES.resolve("the desk lamb")
    assert found is not None and found.value == "light.desk"


def test_misspelling_resolves() -> None:
    found = DEVICES.resolve("kitchin speeker")
    assert found is not None and found.value == "media.kitchen"


def test_unrelated_words_do_not_resolve() -> None:
    assert DEVICES.resolve("banana bread") is None


def test_spot_finds_value_inside_a_sentence() -> None:
    spotted = DEVICES.spot("could you turn on the ceiling lite please")
    assert spotted is not None and spotted[0].value == "light.ceiling"


def test_slot_kind_from_name() -> None:
    assert (slot_kind("minutes"), slot_kind("duration"), slot_kind("alarm_time"), slot_kind("task")) == (
        "number", "duration", "time", "text",
    )  # fmt: skip
    assert parse_typed("duration", "an hour and a half") == 5400
