"""The home's names (not its states) kept on disk, so that while Home Assistant is down at
start-up the assistant still understands "turn on the desk lamp" and can say what is wrong,
instead of not understanding at all."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from assistant_homeassistant.home import Area, Entity, Home, RegistryEntry

log = logging.getLogger(__name__)


def save_names(path: Path, home: Home) -> None:
    document = {
        "entities": [
            {"entity_id": e.entity_id, "name": e.name, "aliases": list(e.aliases), "area_id": e.area_id}
            for e in home.listened_for()
        ],
        "areas": [
            {"area_id": a.area_id, "name": a.name, "aliases": list(a.aliases)} for a in home.areas.values()
        ],
    }
    try:
        temporary = path.with_name(path.name + ".new")
        temporary.write_text(json.dumps(document), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:  # only the start-up while Home Assistant is down loses
        log.warning("Could not keep the Home Assistant names in %s: %s", path, error)


def load_names(path: Path) -> Home | None:
    """The names last seen, with every state unknown; None when there are none."""
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        home = Home()
        for area in document.get("areas", []):
            home.areas[area["area_id"]] = Area(area["area_id"], area["name"], tuple(area.get("aliases", [])))
        for item in document.get("entities", []):
            aliases = tuple(item.get("aliases", []))
            home.registry[item["entity_id"]] = RegistryEntry(item["name"], aliases, item.get("area_id"))
            home.entities[item["entity_id"]] = Entity(
                item["entity_id"], item["name"], "unknown", {}, aliases, item.get("area_id")
            )
        return home
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("Ignoring the Home Assistant names in %s: %s", path, error)
        return None
