"""The home as Home Assistant describes it: entities with their names, aliases, areas and state.

Built from ``get_states`` and the entity, device and area registries, then kept up to date
from ``state_changed`` events. Pure data: nothing here talks to the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

CONTROLLABLE = frozenset(
    {
        "light",
        "switch",
        "fan",
        "cover",
        "climate",
        "media_player",
        "lock",
        "input_boolean",
        "alarm_control_panel",
    }
)
"""Domains that are devices to the assistant (hunches, "it"); the rest can still be asked about."""
NAMED = CONTROLLABLE | {"scene", "script", "sensor", "binary_sensor", "vacuum", "humidifier", "water_heater"}
"""Domains whose names the assistant listens for."""
GONE = frozenset({"unavailable", "unknown"})


def normalize(text: str) -> str:
    """'Entrance Color + White Lights' -> 'entrance color white lights': what a person says."""
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).replace("_", " ").split())


@dataclass(frozen=True)
class Area:
    area_id: str
    name: str
    aliases: tuple[str, ...] = ()

    def spoken(self) -> list[str]:
        return [form for form in dict.fromkeys(normalize(n) for n in (self.name, *self.aliases)) if form]


@dataclass(frozen=True)
class Entity:
    """One Home Assistant entity as the assistant knows it."""

    entity_id: str
    name: str
    """The friendly name (registry name, else the state's friendly_name)."""
    state: str
    attributes: dict[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    area_id: str | None = None

    @property
    def domain(self) -> str:
        return self.entity_id.split(".", 1)[0]

    @property
    def available(self) -> bool:
        return self.state not in GONE

    def spoken(self) -> list[str]:
        return [form for form in dict.fromkeys(normalize(n) for n in (self.name, *self.aliases)) if form]


@dataclass(frozen=True)
class RegistryEntry:
    """What the entity registry adds to a state: a name, aliases, an area (maybe through its device)."""

    name: str | None = None
    aliases: tuple[str, ...] = ()
    area_id: str | None = None
    hidden: bool = False


@dataclass
class Home:
    """Everything known now; replaced whole on a (re)connection, patched by events."""

    entities: dict[str, Entity] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    registry: dict[str, RegistryEntry] = field(default_factory=dict)

    @classmethod
    def from_api(
        cls,
        states: list[dict[str, Any]],
        entity_registry: list[dict[str, Any]],
        device_registry: list[dict[str, Any]],
        area_registry: list[dict[str, Any]],
    ) -> Home:
        home = cls()
        home.set_registries(entity_registry, device_registry, area_registry)
        for state in states:
            home.apply_state(str(state.get("entity_id", "")), state)
        return home

    def set_registries(
        self,
        entity_registry: list[dict[str, Any]],
        device_registry: list[dict[str, Any]],
        area_registry: list[dict[str, Any]],
    ) -> None:
        self.areas = {
            str(a["area_id"]): Area(
                str(a["area_id"]), str(a.get("name") or a["area_id"]), tuple(a.get("aliases") or ())
            )
            for a in area_registry
        }
        device_areas = {str(d["id"]): d.get("area_id") for d in device_registry}
        self.registry = {}
        for entry in entity_registry:
            area = entry.get("area_id") or device_areas.get(str(entry.get("device_id") or ""))
            self.registry[str(entry["entity_id"])] = RegistryEntry(
                name=entry.get("name"),
                aliases=tuple(entry.get("aliases") or ()),
                area_id=area,
                hidden=bool(entry.get("hidden_by") or entry.get("disabled_by")),
            )
        for entity_id, entity in list(self.entities.items()):
            self.entities[entity_id] = self._named(entity_id, entity.state, entity.attributes)

    def apply_state(self, entity_id: str, new_state: dict[str, Any] | None) -> Entity | None:
        """A ``state_changed`` event's new state (None: the entity was removed)."""
        if new_state is None:
            self.entities.pop(entity_id, None)
            return None
        entity = self._named(
            entity_id, str(new_state.get("state", "")), dict(new_state.get("attributes") or {})
        )
        self.entities[entity_id] = entity
        return entity

    def _named(self, entity_id: str, state: str, attributes: dict[str, Any]) -> Entity:
        entry = self.registry.get(entity_id, RegistryEntry())
        name = entry.name or attributes.get("friendly_name") or entity_id.split(".", 1)[-1].replace("_", " ")
        return Entity(entity_id, str(name), state, attributes, entry.aliases, entry.area_id)

    # --- questions -------------------------------------------------------------------

    def listened_for(self) -> list[Entity]:
        """Entities a person may name: the usual domains, not hidden or disabled."""
        return [
            e
            for e in self.entities.values()
            if e.domain in NAMED and not self.registry.get(e.entity_id, RegistryEntry()).hidden
        ]

    def names(self) -> list[str]:
        return sorted({form for entity in self.listened_for() for form in entity.spoken()})

    def area_names(self) -> list[str]:
        return sorted({form for area in self.areas.values() for form in area.spoken()})

    def find(self, spoken: str, domains: frozenset[str] | None = None) -> Entity | None:
        """The entity called ``spoken`` (its name or an alias); None when none or several are."""
        wanted = normalize(spoken)
        found = [
            e
            for e in self.listened_for()
            if wanted in e.spoken() and (domains is None or e.domain in domains)
        ]
        if len(found) > 1:  # "kitchen" the light and "kitchen" the speaker: prefer a controllable one
            found = [e for e in found if e.domain in CONTROLLABLE] or found
        return found[0] if len(found) == 1 else None

    def find_area(self, spoken: str) -> Area | None:
        wanted = normalize(spoken)
        return next((a for a in self.areas.values() if wanted in a.spoken()), None)

    def in_area(self, area: Area | None, domains: frozenset[str]) -> list[Entity]:
        """Entities of these domains in ``area`` (every area when None), by name."""
        return sorted(
            (
                e
                for e in self.listened_for()
                if e.domain in domains and (area is None or e.area_id == area.area_id)
            ),
            key=lambda e: e.name,
        )
