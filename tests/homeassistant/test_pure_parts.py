"""The plug-in's pure parts on their own, with no server: names, services, wording, the token
file, the websocket address. (What the server does is tested against the server.)"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins" / "homeassistant"))

from assistant_homeassistant import describe, services, spoken  # noqa: E402
from assistant_homeassistant.connection import websocket_url  # noqa: E402
from assistant_homeassistant.errors import BadToken  # noqa: E402
from assistant_homeassistant.home import Entity, Home, normalize  # noqa: E402
from assistant_homeassistant.names_cache import load_names, save_names  # noqa: E402
from assistant_homeassistant.token_file import read_token, save_token  # noqa: E402


def home() -> Home:
    states = [
        {
            "entity_id": "light.desk",
            "state": "on",
            "attributes": {"friendly_name": "Desk Lamp", "brightness": 102},
        },
        {"entity_id": "media_player.kitchen", "state": "playing", "attributes": {"friendly_name": "Kitchen"}},
        {"entity_id": "light.kitchen", "state": "off", "attributes": {"friendly_name": "Kitchen"}},
        {"entity_id": "sensor.hidden", "state": "1", "attributes": {"friendly_name": "Hidden Thing"}},
    ]
    entities = [
        {
            "entity_id": "light.desk",
            "name": None,
            "device_id": "d1",
            "area_id": None,
            "aliases": ["reading light"],
        },
        {"entity_id": "sensor.hidden", "name": None, "device_id": None, "area_id": None, "hidden_by": "user"},
    ]
    devices = [{"id": "d1", "area_id": "study"}]
    areas = [{"area_id": "study", "name": "Study", "aliases": ["office"]}]
    return Home.from_api(states, entities, devices, areas)


def test_names_aliases_and_the_device_s_area() -> None:
    known = home()
    assert known.names() == ["desk lamp", "kitchen", "reading light"]  # hidden entities are not listened for
    assert known.area_names() == ["office", "study"]
    desk = known.find("the reading light".removeprefix("the "))
    assert desk is not None and desk.entity_id == "light.desk" and desk.area_id == "study"
    assert [e.entity_id for e in known.in_area(known.find_area("office"), frozenset({"light"}))] == [
        "light.desk"
    ]


def test_two_entities_with_one_name_are_not_guessed_between_unless_one_is_controllable() -> None:
    known = home()
    both = known.find("kitchen")
    assert both is None  # a light and a speaker both called Kitchen: ask, don't guess
    assert known.find("kitchen", frozenset({"light"})).entity_id == "light.kitchen"  # type: ignore[union-attr]


def test_a_removed_entity_leaves_the_home() -> None:
    known = home()
    known.apply_state("light.desk", None)
    assert known.find("desk lamp") is None


def test_the_recognizer_hears_requests_that_fit_each_device_in_each_of_its_names() -> None:
    said = spoken.requests(home())
    assert "turn on the desk lamp" in said and "dim the reading light" in said  # name and alias
    assert "pause the kitchen" in said and "turn off the kitchen" in said  # the speaker and the light
    assert "turn off the lights in the office" in said  # an area's alias
    assert "turn off all the lights" in said
    assert not any("hidden thing" in request for request in said)
    assert "open the desk lamp" not in said  # no verb the device does not take


def test_normalize_is_what_people_say() -> None:
    assert normalize("Entrance Color + White Lights") == "entrance color white lights"
    assert normalize("living_room") == "living room"


def light(state: str = "on", **attributes: object) -> Entity:
    return Entity("light.desk", "Desk Lamp", state, dict(attributes))


def test_services_for_each_request() -> None:
    assert services.switch(light(), True).message("light.desk") == {
        "type": "call_service", "domain": "light", "service": "turn_on", "service_data": {},
        "target": {"entity_id": "light.desk"},
    }  # fmt: skip
    assert services.brightness(light(), 40).data == {"brightness_pct": 40}
    assert services.brightness(light(), 0).service == "turn_off"
    assert services.colour(light(), "warm white").data == {"color_name": "navajowhite"}
    cover = Entity("cover.garage", "Garage Door", "closed")
    assert services.cover(cover, True).service == "open_cover"
    with pytest.raises(services.Unsupported, match="isn't a light"):
        services.brightness(cover, 40)
    thermostat = Entity("climate.hall", "Hall", "heat", {"min_temp": 7, "max_temp": 35})
    with pytest.raises(services.Unsupported, match="from 7 to 35 degrees"):
        services.temperature(thermostat, 60)
    with pytest.raises(services.Unsupported, match="can't change colour"):
        services.colour(light(supported_color_modes=["color_temp"]), "red")


def test_states_in_words() -> None:
    assert describe.describe(light(brightness=102)) == "The Desk Lamp is on at 40 percent."
    assert describe.describe(Entity("light.k", "Kitchen Lights", "off")) == "The Kitchen Lights are off."
    assert "not available" in describe.describe(light("unavailable"))
    assert describe.is_state(Entity("cover.g", "Garage Door", "open"), "open") is True
    assert describe.is_state(Entity("cover.g", "Garage Door", "open"), "purple") is None
    assert (
        describe.temperature_of([Entity("climate.h", "Hall", "heat", {"current_temperature": 20.5})]) == 20.5
    )
    assert describe.temperature_of([light()]) is None
    assert describe.device_state(light(brightness=255)) == {"state": "on", "on": True, "brightness": 100}


def test_the_token_file_is_made_private_and_others_readable_ones_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "token"
    save_token(path, "  secret-token\n")
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_token(path) == "secret-token"
    os.chmod(path, 0o644)
    with pytest.raises(BadToken, match="chmod 600"):
        read_token(path)
    with pytest.raises(BadToken, match="missing"):
        read_token(tmp_path / "none")


def test_the_names_are_kept_without_states(tmp_path: Path) -> None:
    path = tmp_path / "names.json"
    save_names(path, home())
    kept = load_names(path)
    assert kept is not None
    assert kept.names() == ["desk lamp", "kitchen", "reading light"]
    assert {e.state for e in kept.entities.values()} == {"unknown"}
    assert "playing" not in path.read_text()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://ha.local:8123", "ws://ha.local:8123/api/websocket"),
        ("https://ha.example/", "wss://ha.example/api/websocket"),
        ("192.168.1.5:8123", "ws://192.168.1.5:8123/api/websocket"),
        ("ws://h:1/api/websocket", "ws://h:1/api/websocket"),
    ],
)
def test_the_websocket_address(given: str, expected: str) -> None:
    assert websocket_url(given) == expected
