"""Speech output: pyttsx3/eSpeak NG by default, Piper when installed."""

from __future__ import annotations

import dataclasses

from assistant.config import Settings
from assistant.tts.base import Synthesizer, TTSUnavailable


def create_synthesizer(settings: Settings, engine: str | None = None) -> Synthesizer:
    """``auto`` is Piper when installed (it sounds far better), else pyttsx3; raises TTSUnavailable."""
    from assistant.wyoming.endpoint import is_remote

    if is_remote(engine or settings.tts_engine):
        return _remote_synthesizer(engine or settings.tts_engine, settings)
    chosen = (engine or settings.tts_engine or "auto").lower()
    if chosen == "auto":
        from assistant.tts.piper_engine import piper_available

        chosen = "piper" if piper_available() else "pyttsx3"
    if chosen == "piper":
        from assistant.tts.piper_engine import PiperSynthesizer

        return PiperSynthesizer()
    if chosen in ("pyttsx3", "espeak"):
        from assistant.tts.pyttsx3_engine import Pyttsx3Synthesizer

        return Pyttsx3Synthesizer(voice=settings.voice, rate=settings.speech_rate)
    raise TTSUnavailable(f"Unknown speech engine {chosen!r}; use auto, pyttsx3 or piper.")


def _remote_synthesizer(uri: str, settings: Settings) -> Synthesizer:
    """A Wyoming voice, with the local one (pyttsx3) speaking when it is down."""
    from assistant.wyoming.remote_tts import WyomingSynthesizer

    local = dataclasses.replace(settings, tts_engine="pyttsx3")
    return WyomingSynthesizer(
        uri,
        lambda: create_synthesizer(local),
        timeout=settings.wyoming_timeout_seconds,
        retry_seconds=settings.wyoming_retry_seconds,
    )


__all__ = ["Synthesizer", "TTSUnavailable", "create_synthesizer"]
