"""Which Home Assistant service does what was asked, for one entity: pure functions.

Each returns a ``ServiceCall`` or raises ``Unsupported`` with a sentence to say, so the
mapping can be tested on its own and the plug-in only sends what comes out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant_homeassistant.home import Entity

SWITCHABLE = frozenset({"light", "switch", "fan", "input_boolean", "media_player", "climate", "humidifier"})
DIM_STEP = 25
"""Percent "dim" and "brighten" move a light by."""
COLOURS = (
    "red",
    "green",
    "blue",
    "yellow",
    "orange",
    "purple",
    "pink",
    "white",
    "warm white",
    "cyan",
    "magenta",
    "violet",
    "turquoise",
    "gold",
    "lime",
    "teal",
    "indigo",
)
COLOUR_NAMES = {"warm white": "navajowhite"}
"""Spoken colours that are not CSS3 names, which light.turn_on's color_name takes."""


class Unsupported(Exception):
    """The entity cannot do this; the message says so plainly."""


@dataclass(frozen=True)
class ServiceCall:
    domain: str
    service: str
    data: dict[str, Any] = field(default_factory=dict)

    def message(self, entity_id: str) -> dict[str, Any]:
        return {
            "type": "call_service",
            "domain": self.domain,
            "service": self.service,
            "service_data": dict(self.data),
            "target": {"entity_id": entity_id},
        }


def switch(entity: Entity, on: bool) -> ServiceCall:
    domain = entity.domain
    if domain in ("scene", "script") and on:
        return ServiceCall(domain, "turn_on")
    if domain == "cover":
        return ServiceCall("cover", "open_cover" if on else "close_cover")
    if domain in SWITCHABLE or domain == "script":
        return ServiceCall(domain, "turn_on" if on else "turn_off")
    raise Unsupported(f"The {entity.name} can't be turned {'on' if on else 'off'}.")


def toggle(entity: Entity) -> ServiceCall:
    if entity.domain == "cover":
        return ServiceCall("cover", "toggle")
    if entity.domain in SWITCHABLE:
        return ServiceCall(entity.domain, "toggle")
    raise Unsupported(f"The {entity.name} can't be toggled.")


def brightness(entity: Entity, percent: int) -> ServiceCall:
    if entity.domain != "light":
        raise Unsupported(f"The {entity.name} isn't a light, so it has no brightness.")
    if not 0 <= percent <= 100:
        raise Unsupported("Brightness goes from 0 to 100 percent.")
    if percent == 0:
        return ServiceCall("light", "turn_off")
    return ServiceCall("light", "turn_on", {"brightness_pct": percent})


def step_brightness(entity: Entity, step: int) -> ServiceCall:
    if entity.domain != "light":
        raise Unsupported(f"The {entity.name} isn't a light, so it can't be dimmed.")
    return ServiceCall("light", "turn_on", {"brightness_step_pct": step})


def colour(entity: Entity, name: str) -> ServiceCall:
    if entity.domain != "light":
        raise Unsupported(f"The {entity.name} isn't a light, so it has no colour.")
    modes = set(entity.attributes.get("supported_color_modes") or [])
    if modes and modes <= {"onoff", "brightness", "color_temp", "white"}:
        raise Unsupported(f"The {entity.name} can't change colour.")
    return ServiceCall("light", "turn_on", {"color_name": COLOUR_NAMES.get(name, name.replace(" ", ""))})


def temperature(entity: Entity, degrees: float) -> ServiceCall:
    if entity.domain == "climate":
        low, high = entity.attributes.get("min_temp"), entity.attributes.get("max_temp")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and not low <= degrees <= high:
            raise Unsupported(f"The {entity.name} can be set from {low:g} to {high:g} degrees.")
        return ServiceCall("climate", "set_temperature", {"temperature": degrees})
    if entity.domain == "water_heater":
        return ServiceCall("water_heater", "set_temperature", {"temperature": degrees})
    raise Unsupported(f"The {entity.name} has no temperature to set.")


def cover(entity: Entity, open_it: bool) -> ServiceCall:
    if entity.domain == "cover":
        return ServiceCall("cover", "open_cover" if open_it else "close_cover")
    if entity.domain == "lock" and open_it:
        return ServiceCall("lock", "open")
    raise Unsupported(f"The {entity.name} can't be {'opened' if open_it else 'closed'}.")


def lock(entity: Entity, locked: bool) -> ServiceCall:
    if entity.domain != "lock":
        raise Unsupported(f"The {entity.name} isn't a lock.")
    return ServiceCall("lock", "lock" if locked else "unlock")


def alarm(entity: Entity, arm: bool) -> ServiceCall:
    if entity.domain != "alarm_control_panel":
        raise Unsupported(f"The {entity.name} isn't an alarm.")
    return ServiceCall("alarm_control_panel", "alarm_arm_away" if arm else "alarm_disarm")


def needs_code(entity: Entity, call: ServiceCall) -> bool:
    """Whether Home Assistant wants a code for this call: the lock or alarm has a
    ``code_format``, and (for arming) does not say ``code_arm_required: false``."""
    if entity.domain not in ("lock", "alarm_control_panel") or not entity.attributes.get("code_format"):
        return False
    return not (call.service.startswith("alarm_arm") and entity.attributes.get("code_arm_required") is False)


def with_code(call: ServiceCall, code: str) -> ServiceCall:
    return ServiceCall(call.domain, call.service, {**call.data, "code": code})


def media(entity: Entity, play: bool) -> ServiceCall:
    if entity.domain != "media_player":
        raise Unsupported(f"The {entity.name} doesn't play anything.")
    return ServiceCall("media_player", "media_play" if play else "media_pause")


def volume(entity: Entity, percent: int) -> ServiceCall:
    if entity.domain != "media_player":
        raise Unsupported(f"The {entity.name} has no volume.")
    if not 0 <= percent <= 100:
        raise Unsupported("Volume goes from 0 to 100 percent.")
    return ServiceCall("media_player", "volume_set", {"volume_level": round(percent / 100, 2)})
