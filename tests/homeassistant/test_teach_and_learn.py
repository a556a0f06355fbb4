"""Against a real Home Assistant: taught commands with Home Assistant steps, and hunches about
its devices, exactly as with the assistant's own devices."""

from __future__ import annotations

import time

from assistant.core import Assistant
from assistant.memory import learned
from tests.homeassistant.conftest import Owner, wait_until

DAY = 86400.0


def say(assistant: Assistant, text: str, session: str = "teach") -> str:
    return assistant.handle_text(text, session).reply


def brightness_pct(owner: Owner, entity_id: str) -> int:
    return round(int(owner.state(entity_id)["attributes"]["brightness"]) * 100 / 255)  # type: ignore[index]


def test_a_taught_command_runs_its_home_assistant_steps(assistant: Assistant, owner: Owner) -> None:
    reply = say(
        assistant, "when I say reading mode set the desk lamp to 100 percent and turn off the bed light"
    )
    assert "reading mode" in reply
    owner.service("light", "turn_off", entity_id="light.office_rgbw_lights")
    owner.service("light", "turn_on", entity_id="light.bed_light")
    owner.wait_for("light.bed_light", lambda s: s["state"] == "on")
    turn = assistant.handle_text("reading mode", "teach")
    assert turn.intent == "custom.reading_mode"
    assert brightness_pct(owner, "light.office_rgbw_lights") == 100
    assert owner.state("light.bed_light")["state"] == "off"


def test_a_device_left_on_at_an_unusual_time_is_a_hunch_and_fixed_in_home_assistant(
    assistant: Assistant, owner: Owner
) -> None:
    now = time.time()
    for day in range(1, 15):  # two weeks of the bed light off at this time of day
        learned.record_device_state(assistant.store, "light.bed_light", {"on": False}, now - day * DAY - 3600)
    owner.service("light", "turn_on", entity_id="light.bed_light")  # switched on outside the assistant
    owner.wait_for("light.bed_light", lambda s: s["state"] == "on")

    def recorded_on() -> bool:
        last = learned.last_device_state(assistant.store, "light.bed_light")
        return last is not None and last[1].get("on") is True

    wait_until(recorded_on, what="learning seeing Home Assistant's own change")
    assistant.learning.allow_fixes("light.bed_light", True)
    [hunch] = [h for h in assistant.learning.check_hunches(prompted=True) if h.device_id == "light.bed_light"]
    assert hunch.fixed, hunch.message
    assert "bed light" in hunch.message
    assert owner.wait_for("light.bed_light", lambda s: s["state"] == "off")["state"] == "off"
