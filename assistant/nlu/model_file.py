"""Fitted intent models on disk: JSON and plain arrays in one ``.npz`` file, never a pickle.

A file holds the intent model, the slot tagger and the digest of what they were trained
on. :class:`ModelStore` keeps the home's own fitted model (one file, replaced when a new
model is fitted) and knows the *base model*: the built-in skills' model, trained ahead
of time by ``python -m assistant.cli.base_model`` (the set-up script runs it), so that
a new home answers at once instead of training for half a minute.

Reading never runs code from the file (``allow_pickle=False``); a file that is damaged,
foreign or of another format is reported as :class:`ModelFileError`, and the caller
trains afresh.
"""

from __future__ import annotations

import json
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.nlu.encoder import MODELS
from assistant.nlu.model import IntentModel
from assistant.nlu.tagger import SlotTagger

log = logging.getLogger(__name__)

FORMAT = "desk-assistant intent model 1"
"""Written into every file; a file with another format is not read."""
BASE_MODEL_PATH = MODELS / "intent-base.npz"
"""Override with ``ASSISTANT_BASE_MODEL`` (``off``: no base model)."""
_PREFIX = "model."


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why."""


@dataclass
class FittedModel:
    """A trained intent model and slot tagger, and the digest of their training data."""

    model: IntentModel
    tagger: SlotTagger
    digest: str


def save_fitted(path: Path, fitted: FittedModel) -> None:
    """Write ``fitted`` to ``path`` (a temporary file renamed into place: never half a file)."""
    settings, arrays = fitted.model.state()
    manifest = {"format": FORMAT, "digest": fitted.digest, "settings": settings}
    contents = {_PREFIX + name: value for name, value in arrays.items()}
    contents["manifest"] = _bytes(json.dumps(manifest).encode("utf-8"))
    contents["tagger"] = _bytes(fitted.tagger.model_bytes)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        np.savez(handle, **contents)  # type: ignore[arg-type]
    os.replace(temporary, path)


def read_digest(path: Path) -> str:
    """The training digest recorded in a model file, without reading the model."""
    with _open(path) as data:
        return str(_manifest(path, data)["digest"])


def load_fitted(path: Path) -> FittedModel:
    """Read a file written by :func:`save_fitted`; raises ModelFileError."""
    with _open(path) as data:
        manifest = _manifest(path, data)
        try:
            arrays = {name[len(_PREFIX) :]: data[name] for name in data.files if name.startswith(_PREFIX)}
            model = IntentModel.from_state(manifest["settings"], arrays)
            tagger = SlotTagger.from_bytes(bytes(data["tagger"]))
        except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
            raise ModelFileError(f"{path} holds a damaged model ({error})") from error
    return FittedModel(model, tagger, str(manifest["digest"]))


class ModelStore:
    """Where fitted models are kept: the home's cache folder and the shipped base model."""

    def __init__(self, folder: Path | None, base: Path | None = None) -> None:
        self.folder = folder
        self.base = base if base is not None else _base_path()

    def exact(self, digest: str) -> FittedModel | None:
        """The model fitted on exactly this training data, if one was kept."""
        if self.folder is not None:
            found = self._read(self.folder / f"intent-model-{digest}.npz")
            if found is not None and found.digest == digest:
                return found
        if self.base is not None and self.base.exists():
            try:
                if read_digest(self.base) != digest:
                    return None
            except ModelFileError as error:
                log.warning("%s Rebuild it with: python -m assistant.cli.base_model", error)
                return None
            found = self._read(self.base)
            return found if found is not None and found.digest == digest else None
        return None

    def nearest(self) -> FittedModel | None:
        """The best model to start from when none fits exactly: the home's last, else the base."""
        if self.folder is not None:
            for path in sorted(self.folder.glob("intent-model-*.npz"), key=_modified, reverse=True):
                found = self._read(path)
                if found is not None:
                    return found
        if self.base is not None and self.base.exists():
            return self._read(self.base)
        return None

    def save(self, fitted: FittedModel) -> None:
        """Keep ``fitted`` as the home's model (the one before it is removed)."""
        if self.folder is None:
            return
        target = self.folder / f"intent-model-{fitted.digest}.npz"
        try:
            save_fitted(target, fitted)
            for old in [*self.folder.glob("intent-model-*.npz"), *self.folder.glob("intent-model-*.pkl")]:
                if old != target:
                    old.unlink(missing_ok=True)
        except OSError as error:  # a read-only home still works; it just starts from the base
            log.info("Could not keep the fitted intent model in %s: %s", self.folder, error)

    @staticmethod
    def _read(path: Path) -> FittedModel | None:
        if not path.exists():
            return None
        try:
            return load_fitted(path)
        except ModelFileError as error:
            log.info("Ignoring %s; it will be trained again.", error)
            return None


def _base_path() -> Path | None:
    chosen = os.environ.get("ASSISTANT_BASE_MODEL")
    if chosen == "off":
        return None
    return Path(chosen) if chosen else BASE_MODEL_PATH


def _open(path: Path) -> np.lib.npyio.NpzFile:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"{path} is not a model file ({error})") from error


def _manifest(path: Path, data: np.lib.npyio.NpzFile) -> dict[str, Any]:
    try:
        manifest = json.loads(bytes(data["manifest"]).decode("utf-8"))
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"{path} is not a model file ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelFileError(f"{path} is a model of another format")
    return manifest


def _bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8).copy()


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
