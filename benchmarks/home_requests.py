"""Device requests made from a real home's own names, areas and aliases, and how to score them.

Shared by benchmarks/homeassistant.py (typed) and benchmarks/spoken_home.py (spoken): the home
is read from Home Assistant itself (states and registries, as the plug-in reads them), each
entity gets the requests its domain takes, and a turn is right when it has the right intent,
names the right entity or room, and, for what changes a state, Home Assistant shows the change.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant_homeassistant.home import Area, Entity, Home

from assistant.config import Home as AssistantHome
from assistant.config import Settings
from tests.homeassistant.conftest import ALIASES, ROOMS
from tests.homeassistant.server import HomeAssistantServer

PLAY_PAUSE_VOLUME = 1 | 4 | 16384
"""Media player features PAUSE, VOLUME_SET and PLAY (MediaPlayerEntityFeature)."""
ServiceCall = tuple[str, str, dict[str, Any]]
"""(domain, service, data) sent by the benchmark itself before a request, so its effect shows."""


@dataclass(frozen=True)
class DeviceRequest:
    """One request in the home's words, and what acting on it correctly means."""

    text: str
    intent: str
    kind: str
    """What sort of request (on, brightness, area_off, cover...): the set is spread over these."""
    entity_id: str = ""
    """The entity named; empty for a room-wide request."""
    setup: ServiceCall | None = None
    """Puts the entity (or room) in the opposite state first."""
    expect: dict[str, Any] = field(default_factory=dict)
    """What Home Assistant shows afterwards: ``state``, ``brightness_pct``, ``volume_level``."""
    area_id: str = ""
    """The room named (room-wide requests, room questions)."""


def furnish(server: HomeAssistantServer, token: str) -> None:
    """The tests' rooms and alias (kitchen, bedroom, living room; "desk lamp"), through Home
    Assistant's registries: the demo puts nothing in an area."""
    for entity_id, area in ROOMS.items():
        server.ws_command(
            token, {"type": "config/entity_registry/update", "entity_id": entity_id, "area_id": area}
        )
    for entity_id, aliases in ALIASES.items():
        server.ws_command(
            token, {"type": "config/entity_registry/update", "entity_id": entity_id, "aliases": aliases}
        )


def assistant_home(folder: Path, server: HomeAssistantServer, owner_token: str, name: str) -> AssistantHome:
    """An assistant home connected to ``server``: its own token (named ``name``) and the URL."""
    from assistant_homeassistant.token_file import default_path, save_token

    home = AssistantHome(config_dir=folder, data_dir=folder).ensure()
    path = default_path(home.config_dir)
    save_token(path, server.long_lived_token(owner_token, name))
    settings = Settings.load(home)
    settings.extra = {"homeassistant": {"url": server.url, "token_file": str(path)}}
    settings.save(home)
    return home


def install_entry_point(scratch: Path) -> None:
    """As the tests do when the venv predates the plug-in: its metadata, for importlib."""
    import importlib.metadata
    import sys

    if any(ep.name == "homeassistant" for ep in importlib.metadata.entry_points(group="assistant.plugins")):
        return
    info = scratch / "entry" / "assistant_homeassistant-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: assistant-homeassistant\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(
        "[assistant.plugins]\nhomeassistant = assistant_homeassistant.plugin:create_plugin\n"
    )
    sys.path.insert(0, str(info.parent))


def read_home(server: HomeAssistantServer, token: str) -> Home:
    """The home as the plug-in sees it: states and the registries, aliases included."""
    entities = server.ws_command(token, {"type": "config/entity_registry/list"})
    full = server.ws_command(
        token,
        {"type": "config/entity_registry/get_entries", "entity_ids": [e["entity_id"] for e in entities]},
    )
    for entry in entities:
        entry["aliases"] = list((full.get(entry["entity_id"]) or {}).get("aliases") or [])
    return Home.from_api(
        server.ws_command(token, {"type": "get_states"}),
        entities,
        server.ws_command(token, {"type": "config/device_registry/list"}),
        server.ws_command(token, {"type": "config/area_registry/list"}),
    )


def _entity_requests(entity: Entity, name: str) -> list[DeviceRequest]:
    e, domain = entity.entity_id, entity.domain
    target = {"entity_id": e}
    made: list[DeviceRequest] = []
    if domain in ("light", "switch", "input_boolean", "fan"):
        made += [
            DeviceRequest(
                f"turn on the {name}", "homeassistant.turn_on", "on", e,
                (domain, "turn_off", target), {"state": "on"},
            ),
            DeviceRequest(
                f"turn off the {name}", "homeassistant.turn_off", "off", e,
                (domain, "turn_on", target), {"state": "off"},
            ),
        ]  # fmt: skip
    if domain == "light" and set(entity.attributes.get("supported_color_modes") or []) - {"onoff"}:
        made += [
            DeviceRequest(
                f"set the {name} to 40 percent", "homeassistant.set_brightness", "brightness", e,
                ("light", "turn_on", {**target, "brightness_pct": 100}), {"brightness_pct": 40},
            ),
            DeviceRequest(
                f"dim the {name}", "homeassistant.dim", "dim", e,
                ("light", "turn_on", {**target, "brightness_pct": 80}), {"brightness_pct": 55},
            ),
            DeviceRequest(f"is the {name} on", "homeassistant.is_state", "question", e),
        ]  # fmt: skip
    if domain == "cover":
        made += [
            DeviceRequest(f"open the {name}", "homeassistant.open", "cover", e),
            DeviceRequest(f"close the {name}", "homeassistant.close", "cover", e),
            DeviceRequest(f"is the {name} open", "homeassistant.is_state", "question", e),
        ]
    if domain == "lock":
        made += [DeviceRequest(f"unlock the {name}", "homeassistant.unlock", "lock", e)]
    if domain == "alarm_control_panel":
        made += [DeviceRequest(f"arm the {name}", "homeassistant.arm", "lock", e)]
    features = int(entity.attributes.get("supported_features") or 0)
    if domain == "media_player" and features & PLAY_PAUSE_VOLUME == PLAY_PAUSE_VOLUME:
        made += [
            DeviceRequest(
                f"pause the {name}", "homeassistant.pause", "media", e,
                ("media_player", "media_play", target), {"state": "paused"},
            ),
            DeviceRequest(
                f"resume the {name}", "homeassistant.play", "media", e,
                ("media_player", "media_pause", target), {"state": "playing"},
            ),
            DeviceRequest(
                f"set the volume of the {name} to 30 percent", "homeassistant.set_volume", "volume", e,
                ("media_player", "volume_set", {**target, "volume_level": 0.8}), {"volume_level": 0.3},
            ),
        ]  # fmt: skip
    if domain == "climate":
        made += [DeviceRequest(f"what's the state of the {name}", "homeassistant.state", "question", e)]
    return made


def _area_requests(home: Home, area: Area, name: str) -> list[DeviceRequest]:
    lights = [e.entity_id for e in home.in_area(area, frozenset({"light"}))]
    made = []
    if lights:
        made += [
            DeviceRequest(
                f"turn off the lights in the {name}", "homeassistant.area_off", "area", area_id=area.area_id,
                setup=("light", "turn_on", {"entity_id": lights}), expect={"state": "off"},
            ),
            DeviceRequest(
                f"turn on the lights in the {name}", "homeassistant.area_on", "area", area_id=area.area_id,
                setup=("light", "turn_off", {"entity_id": lights}), expect={"state": "on"},
            ),
        ]  # fmt: skip
    made.append(
        DeviceRequest(
            f"what's the temperature in the {name}",
            "homeassistant.area_temperature",
            "question",
            area_id=area.area_id,
        )
    )
    return made


def device_requests(home: Home) -> list[DeviceRequest]:
    """Every request the home's names make: each entity by each of its names and aliases."""
    made: list[DeviceRequest] = []
    for entity in sorted(home.listened_for(), key=lambda e: e.entity_id):
        for name in entity.spoken():
            made += _entity_requests(entity, name)
    for area in sorted(home.areas.values(), key=lambda a: a.area_id):
        for name in area.spoken():
            made += _area_requests(home, area, name)
    return made


def spread(requests: list[DeviceRequest], count: int, seed: int = 1) -> list[DeviceRequest]:
    """``count`` requests taken in turn from each kind (shuffled within a kind), so a small set
    still has switching, brightness, rooms, covers, locks, media and questions."""
    rng = random.Random(seed)
    by_kind: dict[str, list[DeviceRequest]] = {}
    for request in requests:
        by_kind.setdefault(request.kind, []).append(request)
    for group in by_kind.values():
        rng.shuffle(group)
    chosen: list[DeviceRequest] = []
    while len(chosen) < count and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(chosen) < count:
                chosen.append(by_kind[kind].pop())
    return chosen


# ------------------------------------------------------------------ scoring


def names_right(
    request: DeviceRequest, home: Home, slots: dict[str, Any], data: dict[str, Any] | None
) -> bool:
    """Did the turn name the entity (or room) asked for? The handler's result says which entity
    it acted on; a request waiting for "yes" is judged by the name in its slot."""
    data = data or {}
    if request.entity_id:
        if data.get("entity_id"):
            return bool(data["entity_id"] == request.entity_id)
        found = home.find(str(slots.get("ha_name", "")))
        return found is not None and found.entity_id == request.entity_id
    area = home.find_area(str(slots.get("ha_area", "")))
    return area is not None and area.area_id == request.area_id


def prepare(server: HomeAssistantServer, token: str, request: DeviceRequest) -> None:
    """Put the device in the opposite state and wait until Home Assistant shows it."""
    if request.setup is None:
        return
    domain, service, data = request.setup
    server.call_service(token, domain, service, data)
    ids = data["entity_id"] if isinstance(data["entity_id"], list) else [data["entity_id"]]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(shows(server, token, i, request.expect) for i in ids):
        time.sleep(0.05)


def effect_seen(server: HomeAssistantServer, token: str, request: DeviceRequest, home: Home) -> bool:
    """Home Assistant shows what the request asked for (on every light of the room)."""
    if not request.expect:
        return True
    if request.entity_id:
        ids = [request.entity_id]
    else:
        ids = [e.entity_id for e in home.in_area(home.areas[request.area_id], frozenset({"light"}))]
    deadline = time.monotonic() + 3
    while True:
        if all(shows(server, token, i, request.expect) for i in ids):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def shows(server: HomeAssistantServer, token: str, entity_id: str, expect: dict[str, Any]) -> bool:
    state = server.state(token, entity_id)
    attributes = state.get("attributes") or {}
    for key, wanted in expect.items():
        if key == "state" and state.get("state") != wanted:
            return False
        if key == "brightness_pct":
            brightness = attributes.get("brightness")
            if brightness is None or abs(round(brightness * 100 / 255) - wanted) > 1:
                return False
        if key == "volume_level" and attributes.get("volume_level") != wanted:
            return False
    return True
