"""Home Assistant states in words, and as the assistant's device state: pure functions."""

from __future__ import annotations

from typing import Any

from assistant_homeassistant.home import Entity

ON_OFF = frozenset({"light", "switch", "fan", "input_boolean", "humidifier"})


def device_state(entity: Entity) -> dict[str, Any]:
    """The assistant's view: ``on`` for what can be left on (what hunches judge), plus details."""
    state: dict[str, Any] = {"state": entity.state}
    if entity.domain in ON_OFF and entity.available:
        state["on"] = entity.state == "on"
    if entity.domain == "light" and isinstance(entity.attributes.get("brightness"), (int, float)):
        state["brightness"] = round(entity.attributes["brightness"] * 100 / 255)
    if entity.domain == "media_player":
        state["playing"] = entity.state == "playing"
        if isinstance(entity.attributes.get("volume_level"), (int, float)):
            state["volume"] = round(entity.attributes["volume_level"] * 100)
    if entity.domain == "climate":
        for key in ("temperature", "current_temperature"):
            if isinstance(entity.attributes.get(key), (int, float)):
                state[key] = entity.attributes[key]
    return state


def plural(name: str) -> bool:
    """'Kitchen Lights' are, 'Garage Door' and 'Glass' are not."""
    last = name.lower().split()[-1] if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def describe(entity: Entity) -> str:
    """'The garage door is closed.', 'The kitchen lights are on at 40 percent.'"""
    name = entity.name
    be = "are" if plural(name) else "is"
    if not entity.available:
        return f"The {name} {be} not available in Home Assistant right now ({entity.state})."
    domain, state, attributes = entity.domain, entity.state, entity.attributes
    if domain == "light" and state == "on" and isinstance(attributes.get("brightness"), (int, float)):
        return f"The {name} {be} on at {round(attributes['brightness'] * 100 / 255)} percent."
    if domain == "climate":
        parts = [f"The {name} {be} set to {state.replace('_', ' ')}"]
        if isinstance(attributes.get("temperature"), (int, float)):
            parts.append(f"at {attributes['temperature']:g} degrees")
        if isinstance(attributes.get("current_temperature"), (int, float)):
            parts.append(f"and it's {attributes['current_temperature']:g} degrees now")
        return " ".join(parts) + "."
    if domain == "media_player":
        title = attributes.get("media_title")
        if state == "playing" and title:
            return f"The {name} {be} playing {title}."
        return f"The {name} {be} {state}."
    if domain in ("sensor", "number"):
        unit = attributes.get("unit_of_measurement") or ""
        return f"The {name} {be} {state}{' ' + unit if unit else ''}."
    if domain == "binary_sensor":
        return f"The {name} {be} {'on' if state == 'on' else 'off'}."
    return f"The {name} {be} {state.replace('_', ' ')}."


def temperature_of(entities: list[Entity]) -> float | None:
    """The temperature in a room: a temperature sensor there, else a thermostat's reading."""
    for entity in entities:
        if entity.domain == "sensor" and entity.attributes.get("device_class") == "temperature":
            try:
                return float(entity.state)
            except ValueError:
                continue
    for entity in entities:
        reading = entity.attributes.get("current_temperature")
        if entity.domain == "climate" and isinstance(reading, (int, float)):
            return float(reading)
    return None


def is_state(entity: Entity, asked: str) -> bool | None:
    """Whether the entity is ``asked`` (on, off, open, closed, locked, unlocked, playing...);
    None when that question does not fit it."""
    asked = asked.lower()
    state = entity.state
    pairs = {
        "on": state == "on" or (entity.domain == "media_player" and state not in ("off", "standby")),
        "off": state in ("off", "standby"),
        "open": state in ("open", "opening"),
        "closed": state in ("closed", "closing"),
        "locked": state == "locked",
        "unlocked": state == "unlocked",
        "playing": state == "playing",
        "paused": state == "paused",
        "armed": state.startswith("armed"),
        "disarmed": state == "disarmed",
    }
    return pairs.get(asked)
