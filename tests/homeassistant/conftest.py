"""A real Home Assistant 2024.3.3 for the module's tests, and assistants connected to it.

One server for the session (started once: 5-30 s), its owner's token, and the rooms and
aliases the tests talk about, set through Home Assistant's own registries. The plug-in is found
through its ``assistant.plugins`` entry point: installed by scripts/setup.sh, or, in a venv made
before the plug-in existed, described to importlib from the source folder for the module's time.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.config import Home, Settings
from assistant.core import Assistant
from assistant.events import Event
from tests.homeassistant.server import VERSION, CannotInstall, HomeAssistantServer, free_port, install

PLUGIN_SOURCE = Path(__file__).resolve().parents[2] / "plugins" / "homeassistant"
EXTRA_CONFIG = """\
script:
  movie_time:
    alias: Movie time
    sequence:
      - service: light.turn_off
        target:
          entity_id: light.ceiling_lights
scene:
  - name: Reading
    entities:
      light.bed_light:
        state: "on"
        brightness: 255
"""
ROOMS = {
    "light.kitchen_lights": "kitchen",
    "light.ceiling_lights": "kitchen",
    "light.bed_light": "bedroom",
    "light.living_room_rgbww_lights": "living_room",
    "climate.hvac": "living_room",
}
ALIASES = {"light.office_rgbw_lights": ["desk lamp"]}


class Owner:
    """The server with its owner's token: what the tests do to Home Assistant directly."""

    def __init__(self, server: HomeAssistantServer, token: str) -> None:
        self.server = server
        self.token = token

    def ws(self, message: dict[str, object]) -> object:
        return self.server.ws_command(self.token, message)

    def state(self, entity_id: str) -> dict[str, object]:
        return self.server.state(self.token, entity_id)

    def service(self, domain: str, service: str, **data: object) -> None:
        self.server.call_service(self.token, domain, service, data)

    def wait_for(
        self, entity_id: str, check: Callable[[dict[str, object]], bool], timeout: float = 10.0
    ) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while True:
            state = self.state(entity_id)
            if check(state) or time.monotonic() > deadline:
                return state
            time.sleep(0.1)


def _plugin_installed() -> bool:
    return any(
        ep.name == "homeassistant" for ep in importlib.metadata.entry_points(group="assistant.plugins")
    )


@pytest.fixture(scope="module")
def plugin_entry_point(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if _plugin_installed():
        yield
        return
    # What `pip install -e plugins/homeassistant` leaves behind: the source on the path, and
    # the distribution's metadata with its entry point.
    info_root = tmp_path_factory.mktemp("entry-point")
    info = info_root / "assistant_homeassistant-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: assistant-homeassistant\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(
        "[assistant.plugins]\nhomeassistant = assistant_homeassistant.plugin:create_plugin\n"
    )
    sys.path[:0] = [str(PLUGIN_SOURCE), str(info_root)]
    try:
        yield
    finally:
        for entry in (str(PLUGIN_SOURCE), str(info_root)):
            sys.path.remove(entry)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HomeAssistantServer]:
    try:
        hass = install()
    except CannotInstall as error:
        pytest.skip(f"needs Home Assistant {VERSION}, which needs Python 3.11: {error}")
    ha = HomeAssistantServer(hass, tmp_path_factory.mktemp("ha-config"), free_port())
    ha.write_config(EXTRA_CONFIG)
    ha.start()
    try:
        yield ha
    finally:
        ha.stop()


@pytest.fixture(scope="session")
def owner(server: HomeAssistantServer) -> Owner:
    access = server.onboard()
    owner = Owner(server, server.long_lived_token(access, "test owner"))
    for entity_id, area in ROOMS.items():
        owner.ws({"type": "config/entity_registry/update", "entity_id": entity_id, "area_id": area})
    for entity_id, aliases in ALIASES.items():
        owner.ws({"type": "config/entity_registry/update", "entity_id": entity_id, "aliases": aliases})
    return owner


def write_token(home: Home, token: str) -> Path:
    from assistant_homeassistant.token_file import default_path, save_token

    path = default_path(home.config_dir)
    save_token(path, token)
    return path


_TOKENS = itertools.count(1)


def connected_home(tmp_path: Path, owner: Owner, token_name: str = "desk assistant") -> Home:
    """A fresh assistant home set up for this server: URL, token file, the settings."""
    home = Home(config_dir=tmp_path / "home", data_dir=tmp_path / "home").ensure()
    # Home Assistant refuses a second token of the same name.
    token = owner.server.long_lived_token(owner.token, f"{token_name} {next(_TOKENS)}")
    path = write_token(home, token)
    settings = Settings.load(home)
    settings.extra = {"homeassistant": {"url": owner.server.url, "token_file": str(path)}}
    settings.save(home)
    return home


def wait_until(check: Callable[[], object], timeout: float = 15.0, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def assistant(
    plugin_entry_point: None, owner: Owner, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Assistant]:
    home = connected_home(tmp_path_factory.mktemp("assistant"), owner)
    running = Assistant(home)
    try:
        yield running
    finally:
        running.close()


ALARM = "alarm_control_panel.security"
ALARM_CODE = "1234"
"""The demo's Security panel and its code (homeassistant/components/demo/alarm_control_panel.py)."""


@pytest.fixture
def disarmed_alarm_home(
    plugin_entry_point: None, owner: Owner, tmp_path: Path
) -> Iterator[tuple[Path, Assistant, list[Event]]]:
    """A fresh home with the demo alarm disarmed: its folder, the assistant and its events."""
    home = connected_home(tmp_path, owner, token_name=f"alarm test {tmp_path.name}")
    owner.service("alarm_control_panel", "alarm_disarm", entity_id=ALARM, code=ALARM_CODE)
    owner.wait_for(ALARM, lambda s: s["state"] == "disarmed")
    running = Assistant(home)
    events: list[Event] = []
    running.bus.subscribe(events.append)
    try:
        yield tmp_path / "home", running, events
    finally:
        running.close()
