"""Where the assistant keeps its files, and the user's settings.

By default config and data follow XDG (through platformdirs). ``--home DIR``
or ``ASSISTANT_HOME`` puts everything under one folder instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "desk-assistant"


class ConfigError(Exception):
    """The settings file cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Home:
    """The folders and files the assistant uses."""

    config_dir: Path
    data_dir: Path

    @classmethod
    def locate(cls, home: str | os.PathLike[str] | None = None) -> Home:
        """``home`` argument, else ``ASSISTANT_HOME``, else XDG folders."""
        chosen = home or os.environ.get("ASSISTANT_HOME")
        if chosen:
            root = Path(chosen).expanduser().resolve()
            return cls(config_dir=root, data_dir=root)
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
        )

    def ensure(self) -> Home:
        """Create the folders, user-only; tighten an older home that others could read.

        Sets the process umask to 077 too, so library users get private files as the CLI does.
        """
        from assistant.privacy import make_home_private, private_umask

        private_umask()
        for folder in (self.config_dir, self.data_dir, self.models_dir, self.plugins_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_home_private(self)
        return self

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "assistant.db"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def plugins_dir(self) -> Path:
        return self.config_dir / "plugins"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def socket_path(self) -> Path:
        return self.data_dir / "assistant.sock"


@dataclass
class Settings:
    """User settings, stored as JSON in ``settings.json``."""

    wake_phrase: str = "hey computer"
    """Any phrase; spotted without training."""
    wake_sensitivity: float = 0.5
    """0 (strict, fewer false wakes) .. 1 (eager, fewer misses)."""
    wake_refractory_seconds: float = 2.0
    """After a wake, ignore further wakes for this long."""
    wake_engine: str = "auto"
    """auto, pocketsphinx or vosk."""
    asr_engine: str = "auto"
    """auto (Vosk if a model is installed, else pocketsphinx), vosk or pocketsphinx."""
    vosk_model: str = ""
    """A Vosk model folder or an installed model name; empty means the default."""
    silence_window_seconds: float = 0.6
    """Silence that ends a request."""
    max_utterance_seconds: float = 12.0
    no_speech_timeout_seconds: float = 5.0
    follow_up_seconds: float = 4.0
    """After a reply, listen this long without the wake word (0 turns it off)."""
    tts_engine: str = "pyttsx3"
    """pyttsx3 (eSpeak NG: answers fastest), piper (sounds natural, needs the piper extra) or
    auto (Piper when installed, else pyttsx3)."""
    voice: str = ""
    """Engine-specific voice name; empty means the engine's default."""
    speech_rate: int = 175
    """Words per minute for pyttsx3."""
    understanding_threshold: float = 0.5
    """Below this confidence the assistant says it did not understand."""
    handler_timeout_seconds: float = 5.0
    """Time limit for one plug-in or skill handler."""
    quiet_hours: str = "22:00-07:00"
    """No unprompted remarks (hunches) in this window."""
    theme: str = "textual-dark"
    extra: dict[str, Any] = field(default_factory=dict)
    """Plug-in settings, keyed by plug-in name."""

    @classmethod
    def load(cls, home: Home) -> Settings:
        path = home.settings_file
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ConfigError(
                f"The settings file {path} cannot be read ({error}). "
                "Fix it or delete it to start from the defaults."
            ) from error
        if not isinstance(raw, dict):
            raise ConfigError(f"The settings file {path} must hold a JSON object.")
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ConfigError(f"Unknown settings in {path}: {', '.join(unknown)}.")
        return cls(**raw)

    def save(self, home: Home) -> None:
        home.config_dir.mkdir(parents=True, exist_ok=True)
        temporary = home.settings_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, home.settings_file)

    def update(self, **changes: Any) -> Settings:
        """Set named fields, converting to each field's type; raises ConfigError."""
        defaults = Settings()
        for name, value in changes.items():
            if not hasattr(defaults, name):
                raise ConfigError(f"There is no setting called {name!r}.")
            kind = type(getattr(defaults, name))
            try:
                setattr(self, name, kind(value) if kind in (int, float, str) else value)
            except (TypeError, ValueError) as error:
                raise ConfigError(f"{name} must be a {kind.__name__}: {value!r}") from error
        return self
