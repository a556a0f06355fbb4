"""Wake word detection: pocketsphinx keyword spotting by default, Vosk when a model is present."""

from __future__ import annotations

import dataclasses

from assistant.config import Home, Settings
from assistant.wake.base import WakeError, WakeWordDetector, normalize_phrase


def create_wake_detector(
    settings: Settings, home: Home | None = None, engine: str | None = None
) -> WakeWordDetector:
    """The detector named by ``engine`` or ``settings.wake_engine``; raises WakeError.

    ``auto`` is pocketsphinx: its English dictionary ships in the wheel, spots any
    phrase of known words, and is light enough to run all the time.
    """
    from assistant.wyoming.endpoint import is_remote

    if is_remote(engine or settings.wake_engine):
        return _remote_detector(engine or settings.wake_engine, settings, home)
    chosen = (engine or settings.wake_engine or "auto").lower()
    if chosen in ("auto", "pocketsphinx"):
        from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector

        return PocketsphinxWakeDetector(
            settings.wake_phrase, settings.wake_sensitivity, settings.wake_refractory_seconds
        )
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
        return VoskWakeDetector(
            model_path, settings.wake_phrase, settings.wake_sensitivity, settings.wake_refractory_seconds
        )
    raise WakeError(f"Unknown wake engine {chosen!r}; use auto, pocketsphinx or vosk.")


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


__all__ = ["WakeError", "WakeWordDetector", "create_wake_detector", "normalize_phrase"]
