"""Hunches: a device in a state that is unusual for this user at this time.

The state history (``device_states``) is sampled at the same time of day on
each of the last weeks' days; when the device is now on but was off at this
time on nearly every day seen (or the reverse), that is a hunch: "The desk
lamp is still on. It's usually off by 11 p.m." Only on/off is judged: it is
what people forget, and what is safe to put right.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass
from typing import Any

HISTORY_DAYS = 28
MIN_KNOWN_DAYS = 5
"""Days with a known state at this time needed before judging."""
UNUSUAL_SHARE = 0.15
"""The current state held at this time on at most this share of days."""
STEP_SECONDS = 30 * 60


def power(state: dict[str, Any]) -> bool | None:
    """On/off of a device state, when it has one."""
    for key in ("on", "power", "playing"):
        value = state.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("on", "off"):
            return value.lower() == "on"
    return None


@dataclass
class Timeline:
    """When a device was on or off, from its recorded states."""

    times: list[float]
    on: list[bool]

    @classmethod
    def from_history(cls, history: list[tuple[float, dict[str, Any]]]) -> Timeline:
        times, values = [], []
        for at, state in history:
            value = power(state)
            if value is not None:
                times.append(at)
                values.append(value)
        return cls(times, values)

    def at(self, timestamp: float) -> bool | None:
        position = bisect.bisect_right(self.times, timestamp) - 1
        return self.on[position] if position >= 0 else None

    def share_on(self, timestamp: float, days: int = HISTORY_DAYS) -> tuple[float, int]:
        """Share of past days on which the device was on at this time of day, and how many days were known.

        Weekends and weekdays differ, so days of the same kind count when there are enough.
        """
        weekend = _is_weekend(timestamp)
        same_kind: list[bool] = []
        every: list[bool] = []
        for back in range(1, days + 1):
            sample = timestamp - back * 86400
            value = self.at(sample)
            if value is None:
                continue
            every.append(value)
            if _is_weekend(sample) == weekend:
                same_kind.append(value)
        chosen = same_kind if len(same_kind) >= MIN_KNOWN_DAYS else every
        return (sum(chosen) / len(chosen) if chosen else 0.0), len(chosen)


def _is_weekend(timestamp: float) -> bool:
    return time.localtime(timestamp).tm_wday >= 5


@dataclass
class Hunch:
    """A device left in an unusual state."""

    device_id: str
    device_name: str
    is_on: bool
    usual_share: float
    """Share of past days the device was in the usual (other) state at this time."""
    usual_since: float | None
    """Time today from which the usual state usually holds (e.g. off by 23:00)."""
    message: str = ""
    fixed: bool = False

    @property
    def state(self) -> str:
        return "on" if self.is_on else "off"

    @property
    def usual(self) -> str:
        return "off" if self.is_on else "on"


def judge(device_id: str, device_name: str, is_on: bool, timeline: Timeline, now: float) -> Hunch | None:
    """A hunch if ``is_on`` is unusual now according to ``timeline``."""
    share, known = timeline.share_on(now)
    current_share = share if is_on else 1.0 - share
    if known < MIN_KNOWN_DAYS or current_share > UNUSUAL_SHARE:
        return None
    since = None
    step = now
    for _ in range(24):  # walk back up to 12 hours while the usual state held
        previous = step - STEP_SECONDS
        previous_share, previous_known = timeline.share_on(previous)
        held = (1.0 - previous_share) if is_on else previous_share
        if previous_known < MIN_KNOWN_DAYS or held < 1.0 - 2 * UNUSUAL_SHARE:
            break
        step = previous
        since = step
    hunch = Hunch(device_id, device_name, is_on, 1.0 - current_share, since)
    hunch.message = describe(hunch)
    return hunch


def describe(hunch: Hunch) -> str:
    still = "still on" if hunch.is_on else "off"
    if hunch.usual_since is not None:
        # spoken_time ends with "a.m."/"p.m.", which already closes the sentence
        return (
            f"The {hunch.device_name} is {still}. It's usually {hunch.usual} by "
            f"{spoken_time(hunch.usual_since)}"
        )
    return f"The {hunch.device_name} is {still}, which is unusual at this time."


def spoken_time(timestamp: float) -> str:
    """ "11 p.m.", "10:30 p.m." (rounded down to the half hour)."""
    local = time.localtime(timestamp)
    hour, minute = local.tm_hour, 30 if local.tm_min >= 30 else 0
    suffix = "a.m." if hour < 12 else "p.m."
    shown = hour % 12 or 12
    return f"{shown}:{minute:02d} {suffix}" if minute else f"{shown} {suffix}"


def in_quiet_hours(window: str, timestamp: float) -> bool:
    """``window`` like "22:00-07:00" (may wrap midnight); empty or malformed means never quiet."""
    try:
        start_text, end_text = window.split("-")
        start = _minutes(start_text)
        end = _minutes(end_text)
    except ValueError:
        return False
    local = time.localtime(timestamp)
    minute = local.tm_hour * 60 + local.tm_min
    if start == end:
        return False
    return start <= minute < end if start < end else minute >= start or minute < end


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    value = int(hours) * 60 + int(minutes)
    if not 0 <= value < 24 * 60:
        raise ValueError(text)
    return value
