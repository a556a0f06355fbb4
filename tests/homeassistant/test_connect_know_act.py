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


def brightness_pct(owner: Owner, entity_id: str) -> int:
    value = owner.state(entity_id)["attributes"]["brightness"]  # type: ignore[index]
    return round(int(value) * 100 / 255)


def test_brightness_in_percent(assistant: Assistant, owner: Owner) -> None:
    reply = say(assistant, "set the kitchen lights to 40 percent")
    assert "40 percent" in reply
    assert brightness_pct(owner, "light.kitchen_lights") == 40


def test_dim_a_light_and_the_lights_of_a_room(assistant: Assistant, owner: Owner) -> None:
    lights = ["light.kitchen_lights", "light.ceiling_lights", "light.office_rgbw_lights"]
    owner.service("light", "turn_on", entity_id=lights, brightness_pct=80)
    owner.wait_for("light.office_rgbw_lights", lambda s: s["state"] == "on")
    say(assistant, "dim the desk lamp")
    assert brightness_pct(owner, "light.office_rgbw_lights") == 55
    reply = say(assistant, "dim the lights in the kitchen")
    assert "dimmed" in reply
    assert brightness_pct(owner, "light.ceiling_lights") == 55
    assert brightness_pct(owner, "light.kitchen_lights") == 55
    assert brightness_pct(owner, "light.office_rgbw_lights") == 55  # not in the kitchen


def test_colour(assistant: Assistant, owner: Owner) -> None:
    assert say(assistant, "turn the bed light red") == "The Bed Light is red."
    state = owner.state("light.bed_light")
    assert state["state"] == "on"
    assert tuple(state["attributes"]["rgb_color"]) == (255, 0, 0)  # type: ignore[index]


def test_a_room_and_the_whole_home(assistant: Assistant, owner: Owner) -> None:
    owner.service(
        "light", "turn_on", entity_id=["light.kitchen_lights", "light.ceiling_lights", "light.bed_light"]
    )
    owner.wait_for("light.bed_light", lambda s: s["state"] == "on")
    reply = say(assistant, "turn off the lights in the kitchen")
    assert "2 lights in the Kitchen are off" in reply
    assert owner.state("light.kitchen_lights")["state"] == "off"
    assert owner.state("light.ceiling_lights")["state"] == "off"
    assert owner.state("light.bed_light")["state"] == "on"  # another room
    say(assistant, "turn off all the lights")
    for light in ("light.bed_light", "light.office_rgbw_lights", "light.entrance_color_white_lights"):
        assert owner.state(light)["state"] == "off"


def test_it_means_the_last_device(assistant: Assistant, owner: Owner) -> None:
    say(assistant, "turn on the desk lamp", session="it")
    assert owner.state("light.office_rgbw_lights")["state"] == "on"
    say(assistant, "set it to 20 percent", session="it")
    assert brightness_pct(owner, "light.office_rgbw_lights") == 20
    say(assistant, "turn it off", session="it")
    assert owner.state("light.office_rgbw_lights")["state"] == "off"


def test_thermostat_temperature(assistant: Assistant, owner: Owner) -> None:
    reply = say(assistant, "set the hvac to 23 degrees")
    assert "23 degrees" in reply
    assert owner.state("climate.hvac")["attributes"]["temperature"] == 23  # type: ignore[index]
    say(assistant, "set the temperature in the living room to 19 degrees")
    assert owner.state("climate.hvac")["attributes"]["temperature"] == 19  # type: ignore[index]


def test_a_cover_asks_first(assistant: Assistant, owner: Owner) -> None:
    owner.service("cover", "close_cover", entity_id="cover.hall_window")
    owner.wait_for("cover.hall_window", lambda s: s["state"] == "closed", timeout=30)
    turn = assistant.handle_text("open the hall window", "cover")
    assert turn.expects_answer
    assert turn.reply == "Are you sure you want me to open the hall window?"
    assert owner.state("cover.hall_window")["state"] == "closed"  # nothing yet
    say(assistant, "yes", session="cover")
    opened = owner.wait_for("cover.hall_window", lambda s: s["state"] in ("opening", "open"))
    assert opened["state"] in ("opening", "open")


def test_no_to_the_question_leaves_the_lock_alone(assistant: Assistant, owner: Owner) -> None:
    assert owner.state("lock.front_door")["state"] == "locked"
    assert assistant.handle_text("unlock the front door", "lock").expects_answer
    say(assistant, "no", session="lock")
    assert owner.state("lock.front_door")["state"] == "locked"
    assistant.handle_text("unlock the front door", "lock")
    say(assistant, "yes", session="lock")
    assert owner.wait_for("lock.front_door", lambda s: s["state"] == "unlocked")["state"] == "unlocked"


def test_media_player_pause_play_and_volume(assistant: Assistant, owner: Owner) -> None:
    say(assistant, "pause the bedroom")
    assert owner.state("media_player.bedroom")["state"] == "paused"
    say(assistant, "resume the bedroom")
    assert owner.state("media_player.bedroom")["state"] == "playing"
    reply = say(assistant, "set the volume of the bedroom to 30 percent")
    assert "30 percent" in reply
    assert owner.state("media_player.bedroom")["attributes"]["volume_level"] == 0.3  # type: ignore[index]


def test_scenes_and_scripts(assistant: Assistant, owner: Owner) -> None:
    owner.service("light", "turn_off", entity_id="light.bed_light")
    owner.wait_for("light.bed_light", lambda s: s["state"] == "off")
    say(assistant, "activate the reading scene")
    assert owner.wait_for("light.bed_light", lambda s: s["state"] == "on")["state"] == "on"
    owner.service("light", "turn_on", entity_id="light.ceiling_lights")
    owner.wait_for("light.ceiling_lights", lambda s: s["state"] == "on")
    assert "Movie time" in say(assistant, "run the movie time script")
    assert owner.wait_for("light.ceiling_lights", lambda s: s["state"] == "off")["state"] == "off"


def test_state_questions_come_from_the_live_state(assistant: Assistant, owner: Owner) -> None:
    owner.service("cover", "close_cover", entity_id="cover.garage_door")
    owner.wait_for("cover.garage_door", lambda s: s["state"] == "closed", timeout=30)
    wait_until(lambda: "No" in say(assistant, "is the garage door open"), what="the closed garage door")
    owner.service("cover", "open_cover", entity_id="cover.garage_door")
    owner.wait_for("cover.garage_door", lambda s: s["state"] == "open", timeout=30)
    wait_until(lambda: say(assistant, "is the garage door open").startswith("Yes"), what="the open door")
    current = owner.state("climate.hvac")["attributes"]["current_temperature"]  # type: ignore[index]
    assert (
        say(assistant, "what's the temperature in the living room")
        == f"It's {current:g} degrees in the Living Room."
    )


def test_a_room_with_nothing_measuring_says_it_does_not_know(assistant: Assistant) -> None:
    assert say(assistant, "what's the temperature in the bedroom").startswith("I don't know")


def test_an_unknown_device_is_not_guessed(assistant: Assistant) -> None:
    reply = say(assistant, "turn on the garage door")
    assert "open or close" in reply  # a cover is not switched on by mistake
    assert say(assistant, "set the garage door to 40 percent").startswith("The Garage Door isn't a light")


@pytest.mark.parametrize("text", ["is home assistant connected"])
def test_status(assistant: Assistant, text: str) -> None:
    assert say(assistant, text).startswith("I'm connected to Home Assistant")
