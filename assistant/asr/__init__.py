"""Speech recognition: one Recognizer interface, Vosk and pocketsphinx engines, the model manager."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from assistant.asr.base import Recognizer, RecognizerError, clean_phrases, normalize_words
from assistant.config import Home, Settings

log = logging.getLogger(__name__)

BETTER_MODEL_HINT = (
    "Using pocketsphinx (built-in English model, lower accuracy). For better recognition run "
    "`assistant models install vosk-small-en` (or install a zip/folder you have: "
    "`assistant models install PATH`)."
)


@dataclass
class RecognizerChoice:
    """The recognizer picked and a sentence explaining why, for the UI and CLI."""

    recognizer: Recognizer
    engine: str
    message: str


def create_recognizer(
    settings: Settings, home: Home | None = None, engine: str | None = None
) -> RecognizerChoice:
    """Vosk when a model is installed or configured, else pocketsphinx (and say so).

    ``engine`` (or ``settings.asr_engine``) forces one: vosk, pocketsphinx or auto.
    Raises RecognizerError when a forced engine cannot run.
    """
    from assistant.asr.models import ModelError, resolve_vosk_model
    from assistant.wyoming.endpoint import is_remote

    if is_remote(engine or settings.asr_engine):
        return _remote_recognizer(engine or settings.asr_engine, settings, home)
    chosen = (engine or settings.asr_engine or "auto").lower()
    if chosen not in ("auto", "vosk", "pocketsphinx"):
        raise RecognizerError(f"Unknown recognizer {chosen!r}; use auto, vosk or pocketsphinx.")
    location = home or Home.locate()
    if chosen in ("auto", "vosk"):
        try:
            model_path = resolve_vosk_model(settings, location)
        except ModelError as error:
            if chosen == "vosk":
                raise RecognizerError(str(error)) from error
            log.warning("%s Falling back to pocketsphinx.", error)
            model_path = None
        if model_path is not None:
            from assistant.asr.vosk_engine import VoskRecognizer

            return RecognizerChoice(
                VoskRecognizer(model_path), "vosk", f"Using Vosk with the model in {model_path}."
            )
        if chosen == "vosk":
            raise RecognizerError(
                "No Vosk model is installed. Run `assistant models install vosk-small-en`, "
                "or `assistant models install PATH` with a model zip or folder."
            )
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer

    return RecognizerChoice(PocketsphinxRecognizer(), "pocketsphinx", BETTER_MODEL_HINT)


def _remote_recognizer(uri: str, settings: Settings, home: Home | None) -> RecognizerChoice:
    """A Wyoming recognizer, with the local one (auto) standing in when it is down."""
    from assistant.wyoming.remote_asr import WyomingRecognizer

    local = dataclasses.replace(settings, asr_engine="auto")
    recognizer = WyomingRecognizer(
        uri,
        lambda: create_recognizer(local, home).recognizer,
        timeout=settings.wyoming_timeout_seconds,
        retry_seconds=settings.wyoming_retry_seconds,
    )
    message = f"Using the Wyoming recognizer at {uri} (the local one stands in when it is down)."
    return RecognizerChoice(recognizer, "wyoming", message)


__all__ = [
    "Recognizer",
    "RecognizerChoice",
    "RecognizerError",
    "clean_phrases",
    "create_recognizer",
    "normalize_words",
]
