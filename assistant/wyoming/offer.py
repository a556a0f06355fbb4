"""What the assistant offers as a Wyoming server, and the ``info`` that describes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    HandleModel,
    HandleProgram,
    Info,
    IntentModel,
    IntentProgram,
    TtsProgram,
    TtsVoice,
    WakeModel,
    WakeProgram,
)

from assistant.asr.base import Recognizer
from assistant.tts.base import Synthesizer
from assistant.wake.base import WakeWordDetector
from assistant.wyoming.remote_wake import model_name

PROGRAM = "desk-assistant"
ATTRIBUTION = Attribution(name="desk-assistant", url="")
LANGUAGES = ["en"]


@dataclass(frozen=True)
class Handled:
    """A request's outcome for a Wyoming client."""

    reply: str
    done: bool
    """True when understood and acted on (``handled``); False sends ``not-handled``."""


@dataclass(frozen=True)
class Understood:
    """An intent and its slots, for ``recognize`` → ``intent``."""

    intent: str
    slots: dict[str, Any]


@dataclass
class Offer:
    """The engines and understanding the server runs; built by the entry point from the assistant.

    Factories, not instances: each is made when first asked for, so a server that is only
    asked to handle text never loads a recognizer."""

    wake_phrase: str
    recognizer: Callable[[], Recognizer]
    wake_detector: Callable[[], WakeWordDetector]
    """A new detector per client (each has its own stream)."""
    synthesizer: Callable[[], Synthesizer]
    handle: Callable[[str, str], Handled]
    """Text and a conversation id → the reply; each client is its own conversation."""
    understand: Callable[[str], Understood | None]
    phrases: Callable[[], list[str]]
    """What the recognizer is biased toward (the commands we know)."""
    version: str = "0.1.0"
    asr_engine: str = "local"
    tts_engine: str = "local"

    def info(self) -> Info:
        def artifact(name: str, description: str) -> dict[str, Any]:
            return {
                "name": name,
                "description": description,
                "attribution": ATTRIBUTION,
                "installed": True,
                "version": self.version,
            }

        wake_model = model_name(self.wake_phrase)
        return Info(
            asr=[
                AsrProgram(
                    **artifact(PROGRAM, "The desk assistant's recognizer, biased toward its commands"),
                    models=[AsrModel(**artifact(self.asr_engine, "biased recognizer"), languages=LANGUAGES)],
                )
            ],
            tts=[
                TtsProgram(
                    **artifact(PROGRAM, "The desk assistant's voice"),
                    voices=[
                        TtsVoice(**artifact(self.tts_engine, "the assistant's voice"), languages=LANGUAGES)
                    ],
                )
            ],
            wake=[
                WakeProgram(
                    **artifact(PROGRAM, "The desk assistant's wake word"),
                    models=[
                        WakeModel(
                            **artifact(wake_model, f'Spots "{self.wake_phrase}"'),
                            languages=LANGUAGES,
                            phrase=self.wake_phrase,
                        )
                    ],
                )
            ],
            handle=[
                HandleProgram(
                    **artifact(
                        PROGRAM, "Understands a request and acts on it (timers, lists, taught commands)"
                    ),
                    models=[HandleModel(**artifact("conversation", "the assistant"), languages=LANGUAGES)],
                )
            ],
            intent=[
                IntentProgram(
                    **artifact(PROGRAM, "Reads the intent and slots of a request without acting"),
                    models=[
                        IntentModel(
                            **artifact("understanding", "rules and learned model"), languages=LANGUAGES
                        )
                    ],
                )
            ],
        )
