"""The wake phrases that ship with a trained model inside a package, per engine.

A trained model hears its phrase in noise far better than keyword spotting can, but
only that phrase: these are the most robust choices for ``wake_phrase``.
"""

from __future__ import annotations

from assistant.wake.base import WakeError, normalize_phrase

MICRO = "microwakeword"
OPEN = "openwakeword"

BUNDLED_MODELS: dict[str, dict[str, str]] = {
    MICRO: {
        "okay nabu": "okay_nabu",
        "hey jarvis": "hey_jarvis",
        "hey mycroft": "hey_mycroft",
        "alexa": "alexa",
    },
    OPEN: {
        "okay nabu": "okay_nabu",
        "hey jarvis": "hey_jarvis",
        "hey mycroft": "hey_mycroft",
        "alexa": "alexa",
        "hey rhasspy": "hey_rhasspy",
    },
}
"""engine -> normalized phrase -> the model's name inside the engine's package."""

ROBUST_ENGINES = (MICRO, OPEN)

AUTO_ENGINES: dict[str, tuple[str, ...]] = {
    "okay nabu": (MICRO, OPEN),
    "hey jarvis": (MICRO, OPEN),
    "hey mycroft": (MICRO,),
    "alexa": (MICRO,),
    "hey rhasspy": (OPEN,),
}
"""What ``wake_engine = auto`` runs for each bundled phrase, chosen by benchmarks/wake.py: the two
engines miss different renditions of okay nabu and hey jarvis, so together (a wake when either
fires) they miss about half as many in noise; openWakeWord's hey mycroft misses most eSpeak
renditions and its alexa wakes on other speech, so those two stay with microWakeWord alone."""

SPELLINGS = {"ok nabu": "okay nabu", "hey my croft": "hey mycroft"}
"""Other ways people write a bundled phrase."""


def bundled_phrases() -> list[str]:
    """Every phrase some engine has a model for, in a stable order (the UI's suggestions)."""
    phrases: list[str] = []
    for engine in ROBUST_ENGINES:
        phrases.extend(phrase for phrase in BUNDLED_MODELS[engine] if phrase not in phrases)
    return phrases


def canonical_phrase(phrase: str) -> str:
    """The normalized phrase, with other spellings of a bundled phrase mapped to it."""
    normalized = normalize_phrase(phrase)
    return SPELLINGS.get(normalized, normalized)


def bundled_model(engine: str, phrase: str) -> str:
    """The model name for ``phrase`` in ``engine``; WakeError naming the choices otherwise."""
    models = BUNDLED_MODELS[engine]
    name = models.get(canonical_phrase(phrase))
    if name is None:
        choices = ", ".join(f'"{known}"' for known in models)
        raise WakeError(
            f'The {engine} wake engine has no model for "{phrase}"; it knows {choices}. '
            "Choose one of those as wake_phrase, or set wake_engine to pocketsphinx "
            "(any phrase of English words) or auto."
        )
    return name


def auto_engines_for(phrase: str) -> tuple[str, ...]:
    """The trained engines ``auto`` runs for ``phrase``; empty when none has a model (keyword spotting)."""
    return AUTO_ENGINES.get(canonical_phrase(phrase), ())
