"""Devices and entities that plug-ins expose, with their current state.

The registry is in memory; plug-ins own the real device. State changes are
also written to the store (``device_states``) so the learning code can tell
what is usual for this user.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Device:
    """One controllable thing: a lamp, a media player, the system volume."""

    id: str
    """Stable id, e.g. ``light.desk_lamp``."""
    name: str
    """What the user calls it, e.g. "desk lamp"."""
    kind: str
    """light, media_player, switch, sensor, volume..."""
    state: dict[str, Any] = field(default_factory=dict)
    """e.g. {"on": True, "brightness": 80}."""
    aliases: list[str] = field(default_factory=list)
    plugin: str = ""
    set_state: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    """Called with the wanted changes; returns the new state."""


class DeviceRegistry:
    """All devices known now, thread-safe."""

    def __init__(self) -> None:
        self._devices: dict[str, Device] = {}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Device], None]] = []
        self._names_listeners: list[Callable[[], None]] = []

    def add(self, device: Device) -> None:
        with self._lock:
            self._devices[device.id] = device

    def remove_plugin(self, plugin: str) -> None:
        with self._lock:
            self._devices = {k: v for k, v in self._devices.items() if v.plugin != plugin}

    def get(self, device_id: str) -> Device | None:
        with self._lock:
            return self._devices.get(device_id)

    def all(self) -> list[Device]:
        with self._lock:
            return list(self._devices.values())

    def names(self) -> dict[str, str]:
        """Spoken name (and aliases) -> device id, for slot resolution."""
        result: dict[str, str] = {}
        for device in self.all():
            result[device.name] = device.id
            for alias in device.aliases:
                result[alias] = device.id
        return result

    def on_change(self, listener: Callable[[Device], None]) -> None:
        self._listeners.append(listener)

    def on_names_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` when devices come, go or are renamed while running (a live home)."""
        self._names_listeners.append(listener)

    def replace_plugin(self, plugin: str, devices: list[Device]) -> None:
        """Make ``devices`` the plug-in's devices now: for a home whose devices change while the
        assistant runs (a Home Assistant entity added, renamed or removed). Ids another plug-in
        owns are left to it."""
        with self._lock:
            before = {k: (v.name, tuple(v.aliases)) for k, v in self._devices.items() if v.plugin == plugin}
            kept = {k: v for k, v in self._devices.items() if v.plugin != plugin}
            for device in devices:
                if device.id not in kept:
                    device.plugin = plugin
                    kept[device.id] = device
            self._devices = kept
            after = {k: (v.name, tuple(v.aliases)) for k, v in kept.items() if v.plugin == plugin}
        if before != after:
            for listener in self._names_listeners:
                listener()

    def report(self, device_id: str, state: dict[str, Any]) -> Device | None:
        """A state the device itself reports (changed by a wall switch, another app): kept, and
        told to the listeners as ``change`` does. None when there is no such device."""
        device = self.get(device_id)
        if device is None:
            return None
        device.state = dict(state)
        for listener in self._listeners:
            listener(device)
        return device

    def change(self, device_id: str, changes: dict[str, Any]) -> Device:
        """Ask the device to change; raises KeyError if there is no such device."""
        device = self.get(device_id)
        if device is None:
            raise KeyError(device_id)
        new_state = device.set_state(changes) if device.set_state else {**device.state, **changes}
        device.state = dict(new_state)
        for listener in self._listeners:
            listener(device)
        return device
