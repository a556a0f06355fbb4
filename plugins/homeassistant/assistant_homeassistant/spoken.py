"""The requests people will say to this home, in its own names: what the recognizer listens for.

The understanding stage reads any name with any verb; the recognizer needs whole sentences
(pocketsphinx's grammar pass, Whisper's prompt), and "arm the desk lamp" would only teach it
nonsense. So each entity gets the few requests its domain takes, each of its names and aliases
once, and each area its room-wide ones. Pure: a ``Home`` in, sentences out.
"""

from __future__ import annotations

from assistant_homeassistant.home import Home

BY_DOMAIN: dict[str, tuple[str, ...]] = {
    "light": ("turn on the {}", "turn off the {}", "dim the {}", "is the {} on"),
    "switch": ("turn on the {}", "turn off the {}"),
    "input_boolean": ("turn on the {}", "turn off the {}"),
    "fan": ("turn on the {}", "turn off the {}"),
    "cover": ("open the {}", "close the {}", "is the {} open"),
    "lock": ("lock the {}", "unlock the {}", "is the {} locked"),
    "alarm_control_panel": ("arm the {}", "disarm the {}"),
    "media_player": ("pause the {}", "resume the {}"),
    "climate": ("what's the state of the {}",),
    "scene": ("activate the {} scene",),
    "script": ("run the {} script",),
    "sensor": ("what's the state of the {}",),
    "binary_sensor": ("is the {} on",),
}
"""Requests each domain takes, in the plug-in's own sentences (intents_switch, intents_ask)."""
BY_AREA = (
    "turn on the lights in the {}",
    "turn off the lights in the {}",
    "dim the lights in the {}",
    "what's the temperature in the {}",
)
WHOLE_HOME = ("turn off all the lights", "turn on all the lights")


def requests(home: Home) -> list[str]:
    """Every entity's and area's requests, each once, entities first (by name)."""
    found: dict[str, None] = {}
    for entity in sorted(home.listened_for(), key=lambda e: e.name):
        for name in entity.spoken():
            for template in BY_DOMAIN.get(entity.domain, ()):
                found.setdefault(template.format(name))
    areas = sorted({form for area in home.areas.values() for form in area.spoken()})
    for area in areas:
        for template in BY_AREA:
            found.setdefault(template.format(area))
    if any(entity.domain == "light" for entity in home.listened_for()):
        found.update(dict.fromkeys(WHOLE_HOME))
    return list(found)
