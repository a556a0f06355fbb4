"""Speech output: pyttsx3/eSpeak NG by default, Piper when installed."""

from __future__ import annotations

from assistant.config import Settings
from assistant.tts.base import Synthesizer, TTSUnavailable


def create_synthesizer(settings: Settings, engine: str | None = None) -> Synthesizer:
    """``auto`` is Piper when installed (it sounds far better), else pyttsx3; raises TTSUnavailable."""
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


__all__ = ["Synthesizer", "TTSUnavailable", "create_synthesizer"]
