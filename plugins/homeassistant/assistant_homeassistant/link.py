"""The plug-in's live view of the home: one connection, the ``Home`` it keeps current, and
what it tells the assistant when names or states change.

On each (re)connection it subscribes to state and registry changes first, then reads every
state and the registries, so nothing that happens in between is lost. State changes patch the
home; registry changes (a rename, a new alias, an entity moved to another area) read the
registries again. Either way the assistant's name lists are updated when the names differ.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant_homeassistant.connection import Backoff, Connection, LinkStatus
from assistant_homeassistant.describe import device_state
from assistant_homeassistant.errors import NotConnected
from assistant_homeassistant.home import CONTROLLABLE, Entity, Home
from assistant_homeassistant.names_cache import load_names, save_names
from assistant_homeassistant.services import ServiceCall

log = logging.getLogger(__name__)

STATE_WAIT_SECONDS = 2.0
"""How long an action waits for Home Assistant to report the new state before replying."""
REGISTRY_EVENTS = ("entity_registry_updated", "device_registry_updated", "area_registry_updated")


@dataclass(frozen=True)
class Names:
    """What the assistant listens for: entity names and aliases, area names and aliases."""

    entities: tuple[str, ...]
    areas: tuple[str, ...]


class HomeListener:
    """Told about changes, on the connection's thread (keep it quick)."""

    def names_changed(self, home: Home) -> None: ...

    def state_changed(self, entity: Entity) -> None: ...

    def status_changed(self, status: LinkStatus) -> None: ...


class HomeLink:
    """Home Assistant as the plug-in sees it: a current ``Home`` and a way to act on it."""

    def __init__(
        self,
        url: str,
        read_token: Callable[[], str],
        listener: HomeListener,
        backoff: Backoff | None = None,
        names_file: Path | None = None,
    ) -> None:
        self._listener = listener
        self._lock = threading.Condition()
        self._names_file = names_file
        self._home = (load_names(names_file) if names_file else None) or Home()
        self._read_from_server = False
        """False while the names are the names file's, from the last run."""
        self._versions: dict[str, int] = {}
        self._names: Names | None = None
        self.connection = Connection(
            url, read_token, self._ready, listener.status_changed, backoff or Backoff()
        )

    def start(self) -> None:
        if self._home.entities:  # names from the last run, until Home Assistant answers
            self._tell_names()
        self.connection.start()

    def stop(self) -> None:
        self.connection.stop()

    @property
    def status(self) -> LinkStatus:
        return self.connection.status

    def home(self) -> Home:
        """The home now (a copy: safe to read from any thread)."""
        with self._lock:
            return Home(dict(self._home.entities), dict(self._home.areas), dict(self._home.registry))

    def known(self) -> bool:
        """Whether the home was read at least once (it may be stale while disconnected)."""
        with self._lock:
            return bool(self._home.entities)

    # --- acting ----------------------------------------------------------------------

    def act(self, entity: Entity, call: ServiceCall, wait: float = STATE_WAIT_SECONDS) -> Entity:
        """Call the service on the entity and wait (briefly) for its new state."""
        with self._lock:
            before = self._versions.get(entity.entity_id, 0)
        self.connection.call(call.message(entity.entity_id))
        with self._lock:
            self._lock.wait_for(lambda: self._versions.get(entity.entity_id, 0) != before, wait)
            return self._home.entities.get(entity.entity_id, entity)

    def act_on_many(self, entities: list[Entity], call: ServiceCall) -> list[Entity]:
        """One service call for several entities (a room's lights), then their states."""
        if not entities:
            return []
        ids = [e.entity_id for e in entities]
        with self._lock:
            before = {i: self._versions.get(i, 0) for i in ids}
        message = call.message(ids[0])
        message["target"] = {"entity_id": ids}
        self.connection.call(message)
        with self._lock:
            self._lock.wait_for(
                lambda: all(self._versions.get(i, 0) != before[i] for i in ids), STATE_WAIT_SECONDS
            )
            return [self._home.entities.get(i, e) for i, e in zip(ids, entities, strict=True)]

    # --- the connection's side ----------------------------------------------------------

    async def _ready(self, connection: Connection) -> None:
        await connection.subscribe("state_changed", self._on_state_changed)
        for event_type in REGISTRY_EVENTS:
            await connection.subscribe(event_type, self._on_registry_changed)
        states, (entities, devices, areas) = await asyncio.gather(
            connection.command({"type": "get_states"}), read_registries(connection)
        )
        home = Home.from_api(states, entities, devices, areas)
        with self._lock:
            self._home = home
            self._read_from_server = True
            for entity_id in home.entities:
                self._versions[entity_id] = self._versions.get(entity_id, 0) + 1
            self._lock.notify_all()
        log.info("Home Assistant: %d entities, %d areas", len(home.entities), len(home.areas))
        self._tell_names()
        for entity in home.entities.values():
            if entity.domain in CONTROLLABLE:
                self._listener.state_changed(entity)

    def _on_state_changed(self, event: dict[str, Any]) -> None:
        data = event.get("data") or {}
        entity_id = str(data.get("entity_id", ""))
        with self._lock:
            old_names = self._home.names()
            entity = self._home.apply_state(entity_id, data.get("new_state"))
            self._versions[entity_id] = self._versions.get(entity_id, 0) + 1
            renamed = self._home.names() != old_names
            self._lock.notify_all()
        if renamed:
            self._tell_names()
        if entity is not None and entity.domain in CONTROLLABLE:
            self._listener.state_changed(entity)

    def _on_registry_changed(self, event: dict[str, Any]) -> None:
        # The event says what changed but not the new names: read the registries again.
        asyncio.ensure_future(self._reload_registries())

    async def _reload_registries(self) -> None:
        connection = self.connection
        try:
            entities, devices, areas = await read_registries(connection)
        except NotConnected:
            return  # the next connection reads everything anyway
        with self._lock:
            self._home.set_registries(entities, devices, areas)
            self._lock.notify_all()
        self._tell_names()

    def _tell_names(self) -> None:
        with self._lock:
            home = self._home
            names = Names(tuple(home.names()), tuple(home.area_names()))
            if names == self._names:
                return
            self._names = names
            snapshot = Home(dict(home.entities), dict(home.areas), dict(home.registry))
        if self._names_file is not None and self._read_from_server:
            save_names(self._names_file, snapshot)
        self._listener.names_changed(snapshot)


async def read_registries(connection: Connection) -> tuple[list[Any], list[Any], list[Any]]:
    """The entity, device and area registries. The entity list leaves out aliases, so the
    entries are read again in full (``get_entries``), which has them."""
    entities, devices, areas = await asyncio.gather(
        connection.command({"type": "config/entity_registry/list"}),
        connection.command({"type": "config/device_registry/list"}),
        connection.command({"type": "config/area_registry/list"}),
    )
    ids = [entry["entity_id"] for entry in entities]
    full = (
        await connection.command({"type": "config/entity_registry/get_entries", "entity_ids": ids})
        if ids
        else {}
    )
    for entry in entities:
        entry["aliases"] = list((full.get(entry["entity_id"]) or {}).get("aliases") or [])
    return entities, devices, areas


def devices_of(home: Home) -> list[tuple[Entity, dict[str, Any]]]:
    """The controllable entities with their assistant-side state."""
    return [(e, device_state(e)) for e in home.listened_for() if e.domain in CONTROLLABLE]
