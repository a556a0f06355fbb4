"""The model manager behind ``assistant models list|install|remove``.

Models live in ``Home.models_dir``, one folder each. Known downloadable models
are described in ``models/vosk-models.json`` (URL, size, SHA-256).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.asr.download import DownloadError, Progress, download
from assistant.asr.whisper_model import is_whisper_model
from assistant.config import Home, Settings

MANIFEST_FILE = Path(__file__).resolve().parents[2] / "models" / "vosk-models.json"
DEFAULT_MODEL = "vosk-small-en"

# Used when the package is installed without the repository's models/ folder.
_BUILTIN_MANIFEST = {
    DEFAULT_MODEL: {
        "description": "Vosk small US English model (supports runtime grammars)",
        "language": "en-us",
        "url": "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        "size": 41205931,
        "sha256": "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        "folder": "vosk-model-small-en-us-0.15",
    }
}


class ModelError(Exception):
    """A model cannot be found, fetched or installed; the message says what to do."""


@dataclass(frozen=True)
class ModelEntry:
    """A model that ``assistant models install NAME`` knows how to fetch."""

    name: str
    url: str
    folder: str
    size: int | None = None
    sha256: str | None = None
    language: str = ""
    description: str = ""


@dataclass(frozen=True)
class InstalledModel:
    """A model folder in the models directory."""

    name: str
    path: Path
    size_bytes: int
    catalogue_name: str | None = None
    kind: str = "vosk"
    """vosk or whisper."""


def load_manifest(path: Path | None = None) -> dict[str, ModelEntry]:
    """Known models by name; raises ModelError if the manifest is damaged."""
    source = path or MANIFEST_FILE
    if source.exists():
        try:
            raw = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ModelError(f"The model manifest {source} cannot be read: {error}.") from error
    else:
        raw = _BUILTIN_MANIFEST
    entries = {}
    for name, item in raw.items():
        entries[name] = ModelEntry(
            name=name,
            url=item["url"],
            folder=item["folder"],
            size=item.get("size"),
            sha256=item.get("sha256"),
            language=item.get("language", ""),
            description=item.get("description", ""),
        )
    return entries


def is_vosk_model(folder: Path) -> bool:
    return (folder / "am" / "final.mdl").exists() and (folder / "conf" / "model.conf").exists()


def is_model(folder: Path) -> bool:
    """A Vosk model or a faster-whisper (CTranslate2) model."""
    return is_vosk_model(folder) or is_whisper_model(folder)


def installed_models(home: Home, manifest: dict[str, ModelEntry] | None = None) -> list[InstalledModel]:
    """Model folders under ``home.models_dir``, by name."""
    catalogue = manifest if manifest is not None else load_manifest()
    by_folder = {entry.folder: entry.name for entry in catalogue.values()}
    if not home.models_dir.is_dir():
        return []
    found = []
    for folder in sorted(home.models_dir.iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and is_model(folder):
            size = sum(item.stat().st_size for item in folder.rglob("*") if item.is_file())
            kind = "vosk" if is_vosk_model(folder) else "whisper"
            found.append(InstalledModel(folder.name, folder, size, by_folder.get(folder.name), kind))
    return found


def resolve_vosk_model(
    settings: Settings, home: Home, manifest: dict[str, ModelEntry] | None = None
) -> Path | None:
    """The Vosk model folder to use, or None when none is installed.

    ``settings.vosk_model`` may be a folder path, an installed folder name or a
    catalogue name; empty means the default model, else any installed one.
    """
    catalogue = manifest if manifest is not None else load_manifest()
    wanted = settings.vosk_model.strip()
    if wanted:
        as_path = Path(wanted).expanduser()
        candidates = [as_path, home.models_dir / wanted]
        if wanted in catalogue:
            candidates.append(home.models_dir / catalogue[wanted].folder)
        for candidate in candidates:
            if candidate.is_dir() and is_vosk_model(candidate):
                return candidate
        raise ModelError(
            f"The configured Vosk model {wanted!r} is not installed or is not a Vosk model folder. "
            f"Install it with `assistant models install {wanted}` or fix the vosk_model setting."
        )
    installed = [model for model in installed_models(home, catalogue) if model.kind == "vosk"]
    for model in installed:
        if model.catalogue_name == DEFAULT_MODEL:
            return model.path
    return installed[0].path if installed else None


def install_model(
    spec: str,
    home: Home,
    progress: Progress | None = None,
    manifest: dict[str, ModelEntry] | None = None,
) -> InstalledModel:
    """Install a catalogue model by name, or a local zip file or model folder."""
    catalogue = manifest if manifest is not None else load_manifest()
    home.models_dir.mkdir(parents=True, exist_ok=True)
    if spec in catalogue:
        entry = catalogue[spec]
        if (home.models_dir / entry.folder).is_dir():
            raise ModelError(f"{spec} is already installed in {home.models_dir / entry.folder}.")
        archive = home.models_dir / ".downloads" / PurePosixPath(entry.url).name
        try:
            download(entry.url, archive, size=entry.size, sha256=entry.sha256, progress=progress)
        except DownloadError as error:
            raise ModelError(str(error)) from error
        try:
            installed = _install_zip(archive, home, entry.folder)
        except ModelError:
            archive.unlink(missing_ok=True)  # a damaged archive must not be "resumed"
            raise
        archive.unlink(missing_ok=True)
        return installed
    path = Path(spec).expanduser()
    if path.is_file():
        return _install_zip(path, home, None)
    if path.is_dir():
        return _install_folder(path, home)
    known = ", ".join(sorted(catalogue)) or "none"
    raise ModelError(f"{spec!r} is neither a known model ({known}) nor an existing zip file or folder.")


def _install_zip(archive: Path, home: Home, folder_name: str | None) -> InstalledModel:
    try:
        with zipfile.ZipFile(archive) as package:
            damaged = package.testzip()
            if damaged is not None:
                raise ModelError(f"The archive {archive.name} is damaged ({damaged} fails its CRC check).")
            for member in package.namelist():
                parts = PurePosixPath(member).parts
                if member.startswith("/") or ".." in parts:
                    raise ModelError(
                        f"The archive {archive.name} holds an unsafe path {member!r}; refusing it."
                    )
            staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=home.models_dir))
            try:
                package.extractall(staging)
                root = _find_model_root(staging, archive.name)
                fallback = root.name if root != staging else archive.stem
                return _move_into_place(root, home, folder_name or fallback)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except zipfile.BadZipFile as error:
        raise ModelError(
            f"{archive.name} is not a valid zip archive ({error}); download it again."
        ) from error


def _find_model_root(folder: Path, label: str) -> Path:
    if is_model(folder):
        return folder
    for candidate in sorted(folder.rglob("final.mdl")):
        root = candidate.parent.parent
        if is_vosk_model(root):
            return root
    for candidate in sorted(folder.rglob("model.bin")):
        if is_whisper_model(candidate.parent):
            return candidate.parent
    raise ModelError(
        f"{label} does not contain a Vosk model (no am/final.mdl with conf/model.conf) or a "
        "faster-whisper model (model.bin, config.json and tokenizer.json)."
    )


def _install_folder(source: Path, home: Home) -> InstalledModel:
    root = _find_model_root(source, str(source))
    destination = home.models_dir / root.name
    if destination.exists():
        raise ModelError(f"A model called {root.name} is already installed.")
    shutil.copytree(root, destination)
    return _describe(destination)


def _move_into_place(root: Path, home: Home, name: str) -> InstalledModel:
    destination = home.models_dir / name
    if destination.exists():
        raise ModelError(f"A model called {name} is already installed; remove it first.")
    shutil.move(str(root), str(destination))
    return _describe(destination)


def _describe(folder: Path) -> InstalledModel:
    size = sum(item.stat().st_size for item in folder.rglob("*") if item.is_file())
    catalogue = {entry.folder: entry.name for entry in load_manifest().values()}
    kind = "vosk" if is_vosk_model(folder) else "whisper"
    return InstalledModel(folder.name, folder, size, catalogue.get(folder.name), kind)


def remove_model(name: str, home: Home, manifest: dict[str, ModelEntry] | None = None) -> Path:
    """Delete an installed model by folder or catalogue name; returns the removed folder."""
    catalogue = manifest if manifest is not None else load_manifest()
    folder_name = catalogue[name].folder if name in catalogue else name
    folder = home.models_dir / folder_name
    if "/" in folder_name or folder_name.startswith(".") or not folder.is_dir():
        names = ", ".join(model.name for model in installed_models(home, catalogue)) or "none"
        raise ModelError(f"No installed model called {name!r}. Installed: {names}.")
    shutil.rmtree(folder)
    return folder
