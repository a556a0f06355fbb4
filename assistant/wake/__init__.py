"""Wake word detection: trained models for their bundled phrases, keyword spotting for any other.

Every detector waits behind an energy gate (:mod:`assistant.wake.gate`), so a quiet
room costs almost nothing.
"""

from __future__ import annotations

import dataclasses
import logging

from assistant.config import Home, Settings
from assistant.wake.base import WakeError, WakeWordDetector, normalize_phrase
from assistant.wake.bundled import MICRO, OPEN, auto_engines_for, bundled_phrases
from assistant.wake.either import EitherWakeDetector
from assistant.wake.gate import GatedWakeDetector
from assistant.wake.second_check import CandidateCheck, second_check_for

log = logging.getLogger(__name__)

WAKE_ENGINES = ("auto", "pocketsphinx", "vosk", MICRO, OPEN)


def create_wake_detector(
    settings: Settings,
    home: Home | None = None,
    engine: str | None = None,
    gated: bool = True,
    second_check: CandidateCheck | None = None,
) -> WakeWordDetector:
    """The detector named by ``engine`` or ``settings.wake_engine``, behind the energy gate
    unless ``gated`` is False; raises WakeError. Keyword spotting asks ``second_check`` about
    the candidates its phone comparison rejects (:mod:`assistant.wake.second_check`).

    ``auto`` takes the trained models chosen for a bundled phrase (``AUTO_ENGINES``: both
    engines together for okay nabu and hey jarvis) and otherwise pocketsphinx keyword
    spotting, which spots any phrase of dictionary words.
    """
    from assistant.wyoming.endpoint import is_remote

    if is_remote(engine or settings.wake_engine):
        return _remote_detector(engine or settings.wake_engine, settings, home)
    detector = _detector(settings, home, (engine or settings.wake_engine or "auto").lower(), second_check)
    return GatedWakeDetector(detector) if gated else detector


def _detector(
    settings: Settings, home: Home | None, chosen: str, second_check: CandidateCheck | None = None
) -> WakeWordDetector:
    phrase, sensitivity, refractory = (
        settings.wake_phrase,
        settings.wake_sensitivity,
        settings.wake_refractory_seconds,
    )
    if chosen == "auto":
        try:
            trained = [_detector(settings, home, engine) for engine in auto_engines_for(phrase)]
        except WakeError as error:  # a package missing: keyword spotting still hears the phrase
            log.warning("%s; using pocketsphinx keyword spotting instead", error)
            trained = []
        if len(trained) > 1:
            return EitherWakeDetector(trained, refractory)
        if trained:
            return trained[0]
        chosen = "pocketsphinx"
    if chosen == MICRO:
        from assistant.wake.micro_wakeword import MicroWakeWordDetector

        return MicroWakeWordDetector(phrase, sensitivity, refractory)
    if chosen == OPEN:
        from assistant.wake.open_wakeword import OpenWakeWordDetector

        return OpenWakeWordDetector(phrase, sensitivity, refractory)
    if chosen == "pocketsphinx":
        from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector

        return PocketsphinxWakeDetector(phrase, sensitivity, refractory, second_check=second_check)
    if chosen == "vosk":
        from assistant.asr.models import ModelError, resolve_vosk_model
        from assistant.wake.vosk_spotter import VoskWakeDetector

        try:
            model_path = resolve_vosk_model(settings, home or Home.locate())
        except ModelError as error:
            raise WakeError(str(error)) from error
        if model_path is None:
            raise WakeError(
                "wake_engine is vosk but no Vosk model is installed. "
                "Run `assistant models install vosk-small-en` or set wake_engine to pocketsphinx."
            )
        return VoskWakeDetector(model_path, phrase, sensitivity, refractory)
    raise WakeError(f"Unknown wake engine {chosen!r}; use {', '.join(WAKE_ENGINES)}.")


def _remote_detector(uri: str, settings: Settings, home: Home | None) -> WakeWordDetector:
    """A Wyoming wake service, with the local detector (auto) listening when it is down."""
    from assistant.wyoming.remote_wake import WyomingWakeDetector

    local = dataclasses.replace(settings, wake_engine="auto")
    return WyomingWakeDetector(
        uri,
        lambda: create_wake_detector(local, home),
        settings.wake_phrase,
        sensitivity=settings.wake_sensitivity,
        refractory_seconds=settings.wake_refractory_seconds,
        timeout=settings.wyoming_timeout_seconds,
        retry_seconds=settings.wyoming_retry_seconds,
    )


__all__ = [
    "WAKE_ENGINES",
    "WakeError",
    "WakeWordDetector",
    "bundled_phrases",
    "create_wake_detector",
    "normalize_phrase",
    "second_check_for",
]
