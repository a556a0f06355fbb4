"""Against a real Home Assistant: the plug-in connects, knows the home and acts on it."""

from __future__ import annotations

import pytest

from assistant.core import Assistant
from tests.homeassistant.conftest import Owner, wait_until


def say(assistant: Assistant, text: str, session: str = "t") -> str:
    return assistant.handle_text(text, session).reply


def test_the_plugin_is_loaded_through_its_entry_point(assistant: Assistant) -> None:
    [status] = [s for s in assistant.plugin_statuses if s.name == "homeassistant"]
    assert status.status == "loaded", status.reason
    assert status.kind == "package"


def test_the_home_s_names_and_areas_are_understood(assistant: Assistant) -> None:
    lists = assistant.catalogs()
    assert "kitchen lights" in lists["ha_name"]
    assert "desk lamp" in lists["ha_name"]  # an alias from the entity registry
    assert "living room" in lists["ha_area"]
    assert "bed light" in lists["device"]  # the shared device list as well
    reading = assistant.understand("turn on the desk lamp")
    assert reading is not None and reading.intent == "homeassistant.turn_on"


def test_turn_on_and_off_changes_home_assistant(assistant: Assistant, owner: Owner) -> None:
    owner.service("light", "turn_off", entity_id="light.bed_light")
    owner.wait_for("light.bed_light", lambda s: s["state"] == "off")
    assert "on" in say(assistant, "turn on the bed light")
    assert owner.state("light.bed_light")["state"] == "on"
    say(assistant, "turn off the bed light")
    assert owner.state("light.bed_light")["state"] == "off"
