"""What each setting may hold: one rule per field of ``Settings``, checked wherever
settings come in (the settings file, ``assistant config set``, the UI's settings
screen, an import).

A field declares its rule with :func:`setting` (``wake_sensitivity: float =
setting(0.5, minimum=0, maximum=1)``); ``Settings`` reads the rules back from the
dataclass metadata. Values from JSON must already have the right type
(:meth:`Rule.check`); words typed on the command line or in a text box are read
first (:meth:`Rule.read`). Both raise ``ValueError`` with a sentence naming the
setting and what it accepts; ``Settings`` turns it into a ``ConfigError``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.json_values import is_valid_text, json_problem

RULE = "rule"
"""The key of a field's rule in its dataclass metadata."""

REMOTE = re.compile(r"^(tcp|wyoming)://[^\s/]+:\d{1,5}/?$")
"""What a Wyoming address looks like (assistant.wyoming.endpoint reads it fully)."""
TIME_WINDOW = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Rule:
    """The type and the range or choices of one setting."""

    type: type
    """bool, int, float, str or dict (what JSON holds)."""
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    """A number must be greater than this (e.g. 0 for a length of time)."""
    choices: tuple[str, ...] = ()
    """The only words allowed (compared in lower case)."""
    remote: bool = False
    """Besides the choices, a Wyoming service address (``tcp://HOST:PORT``) is allowed."""
    time_window: bool = False
    """A text like "22:00-07:00", or empty."""
    non_empty: bool = False
    max_length: int = 1000
    """Longest text accepted."""
    note: str = ""
    """What the setting means, added to a refusal ("0 strict … 1 eager")."""

    def describe(self) -> str:
        """What the setting accepts, in words: 'a number from 0 to 1'."""
        if self.choices:
            remote = " or a Wyoming service like tcp://HOST:PORT" if self.remote else ""
            return "one of " + ", ".join(self.choices) + remote
        if self.time_window:
            return 'a time window like "22:00-07:00" (or "" for none)'
        if self.type is bool:
            return "true or false"
        if self.type is dict:
            return "an object"
        if self.type in (int, float):
            noun = "a whole number" if self.type is int else "a number"
            if self.above is not None and self.maximum is not None:
                return f"{noun} above {_number(self.above)} and at most {_number(self.maximum)}"
            if self.minimum is not None and self.maximum is not None:
                return f"{noun} from {_number(self.minimum)} to {_number(self.maximum)}"
            if self.above is not None:
                return f"{noun} above {_number(self.above)}"
            return noun
        return "a non-empty text" if self.non_empty else "a text"

    def refuse(self, name: str, value: Any) -> ValueError:
        shown = repr(value) if not isinstance(value, str) or len(value) <= 60 else repr(value[:60] + "…")
        note = f" ({self.note})" if self.note else ""
        return ValueError(f"{name} must be {self.describe()}{note}, not {shown}")

    def check(self, name: str, value: Any) -> Any:
        """``value`` as stored (JSON types, no conversion beyond int -> float); raises ValueError."""
        given = value
        if self.type is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.refuse(name, value)
            value = float(value)
        elif self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                if not (isinstance(value, float) and math.isfinite(value) and value.is_integer()):
                    raise self.refuse(name, value)
                value = int(value)
        elif not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise self.refuse(name, value)
        if self.type in (int, float):
            self._check_range(name, value, given)
        elif self.type is str:
            value = self._check_text(name, value)
        elif self.type is dict:
            _check_object(name, value)
        return value

    def read(self, name: str, text: str) -> Any:
        """Words typed by a person (``config set``, a text box) -> a checked value."""
        words = text.strip()
        value: Any = words
        if self.type is bool:
            lowered = words.lower()
            if lowered not in ("true", "false", "yes", "no", "on", "off", "1", "0"):
                raise self.refuse(name, text)
            value = lowered in ("true", "yes", "on", "1")
        elif self.type in (int, float):
            try:
                return self.check(name, float(words) if self.type is float else int(words))
            except ValueError:
                raise self.refuse(name, words) from None
        elif self.type is dict:
            raise ValueError(f"{name} is set in settings.json, not from one word")
        return self.check(name, value)

    def _check_range(self, name: str, value: float, given: Any) -> None:
        if (
            not math.isfinite(value)
            or (self.minimum is not None and value < self.minimum)
            or (self.maximum is not None and value > self.maximum)
            or (self.above is not None and value <= self.above)
        ):
            raise self.refuse(name, given)

    def _check_text(self, name: str, value: str) -> str:
        if not is_valid_text(value) or len(value) > self.max_length or any(c in value for c in "\n\r\0"):
            raise ValueError(f"{name} must be one line of text of at most {self.max_length} characters")
        if self.choices:
            lowered = value.strip().lower()
            if self.remote and REMOTE.match(lowered):
                return lowered
            if lowered not in self.choices:
                raise self.refuse(name, value)
            return lowered
        if self.time_window:
            window = value.replace(" ", "")
            if window and not TIME_WINDOW.match(window):
                raise self.refuse(name, value)
            return window
        if self.non_empty and not value.strip():
            raise self.refuse(name, value)
        return value


def setting(default: Any = None, *, factory: Any = None, **rule: Any) -> Any:
    """A ``Settings`` field with its rule; the type is the default's (or the factory's)."""
    kind = type(factory()) if factory is not None else type(default)
    metadata = {RULE: Rule(type=kind, **rule)}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _number(value: float) -> str:
    return f"{value:g}"


def _check_object(name: str, value: dict[str, Any]) -> None:
    """Plug-in settings: an object per plug-in name, of JSON values."""
    for key, own in value.items():
        if not isinstance(key, str) or not is_valid_text(key):
            raise ValueError(f"{name} has a key that is not a text: {key!r}")
        if not isinstance(own, dict):
            raise ValueError(f"{name}.{key} must be an object of that plug-in's settings, not {own!r}")
    problem = json_problem(value, 20)
    if problem is not None:
        raise ValueError(f"{name}: {problem}")
