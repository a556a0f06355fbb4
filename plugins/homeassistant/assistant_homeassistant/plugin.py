"""The Home Assistant plug-in: what it listens for and what it does.

``create_plugin()`` is the entry point (``assistant.plugins``); each assistant gets its own
plug-in and its own connection. Names and areas come from the home and are kept live; every
request is answered from the live state, and every problem is said with what to do about it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.devices import Device
from assistant.plugins.api import (
    Plugin,
    PluginUnavailable,
)
from assistant_homeassistant import describe, intents_ask, intents_switch, services, spoken
from assistant_homeassistant.connection import Backoff, LinkStatus
from assistant_homeassistant.handling import entity_of, need
from assistant_homeassistant.home import Entity, Home
from assistant_homeassistant.link import HomeLink, HomeListener, devices_of
from assistant_homeassistant.token_file import read_token

log = logging.getLogger(__name__)

NAME = "homeassistant"
FIRST_READ_SECONDS = 5.0
"""At start-up, wait this long for the home to be read before going on without it."""
LIGHTS = frozenset({"light"})
NAMES_FILE = "homeassistant-names.json"
"""Beside the token file: the names seen last, for a start while Home Assistant is down."""


class _Listener(HomeListener):
    def __init__(self, plugin: Plugin) -> None:
        self.plugin = plugin
        self.link: HomeLink | None = None
        self.reported: dict[str, dict[str, Any]] = {}

    def names_changed(self, home: Home) -> None:
        self.plugin.update_list("ha_name", home.names())
        self.plugin.update_list("ha_area", home.area_names())
        self.plugin.update_phrases(spoken.requests(home))
        self.plugin.update_devices(
            Device(
                id=entity.entity_id,
                name=entity.spoken()[0],
                kind=entity.domain,
                aliases=entity.spoken()[1:],
                state=state,
                set_state=self._setter(entity.entity_id),
            )
            for entity, state in devices_of(home)
        )

    def state_changed(self, entity: Entity) -> None:
        # Only what the assistant's view shows (on, brightness, volume...): a media player's
        # position ticking must not fill the state history.
        state = describe.device_state(entity)
        if self.reported.get(entity.entity_id) != state:
            self.reported[entity.entity_id] = state
            self.plugin.report_state(entity.entity_id, state)

    def status_changed(self, status: LinkStatus) -> None:
        pass  # kept on the connection; handlers and the status intent read it

    def _setter(self, entity_id: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """For the assistant's own changes (a hunch's fix: "turn it off for me")."""

        def set_state(changes: dict[str, Any]) -> dict[str, Any]:
            link = need(self.link)
            entity = entity_of(link.home(), entity_id)
            if "on" in changes:
                entity = link.act(entity, services.switch(entity, bool(changes["on"])))
            return describe.device_state(entity)

        return set_state


def create_plugin() -> Plugin:
    plugin = Plugin(
        NAME, description="Your Home Assistant: lights, switches, covers, climate, media, scenes."
    )
    plugin.setting("url", "")
    plugin.setting("token_file", "")
    plugin.setting("reconnect_max_seconds", 30.0)
    plugin.live_list("ha_name")
    plugin.live_list("ha_area")
    plugin.list("ha_colour", list(services.COLOURS))
    plugin.list(
        "ha_condition",
        ["on", "off", "open", "closed", "locked", "unlocked", "playing", "paused", "armed", "disarmed"],
    )
    listener = _Listener(plugin)

    @plugin.on_load
    def connect(loaded: Plugin) -> None:
        url = str(loaded.settings["url"]).strip()
        if not url:
            raise PluginUnavailable(
                "not connected yet: run `assistant-homeassistant connect` or use Settings → Home Assistant"
            )
        token_file = str(loaded.settings["token_file"])
        longest = float(loaded.settings["reconnect_max_seconds"])
        link = HomeLink(
            url,
            lambda: read_token(Path(token_file) if token_file else ""),
            listener,
            Backoff(first=min(1.0, longest), longest=longest),
            names_file=Path(token_file).with_name(NAMES_FILE) if token_file else None,
        )
        listener.link = link
        link.start()
        # The home known at once when Home Assistant is up; no waiting when it is not.
        link.connection.tried.wait(FIRST_READ_SECONDS)

    @plugin.on_close
    def disconnect() -> None:
        if listener.link is not None:
            listener.link.stop()

    def link() -> HomeLink:
        return need(listener.link)

    intents_switch.declare(plugin, link)
    intents_ask.declare(plugin, link)
    return plugin
