"""The access token, in a file only the user can read. Never printed, never logged."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assistant_homeassistant.errors import BadToken

FILE_NAME = "homeassistant-token"


def default_path(config_dir: Path) -> Path:
    return config_dir / FILE_NAME


def save_token(path: Path, token: str) -> None:
    """Write ``token`` so only this user may read it (created 0600, never wider for a moment)."""
    token = token.strip()
    if not token:
        raise BadToken("The access token is empty.")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.replace(temporary, path)


def read_token(path: Path | str) -> str:
    """The token; BadToken saying what to do when there is none or others could read it."""
    if not str(path):
        raise BadToken(
            "No access token is set up. Connect to Home Assistant in Settings, "
            "or run: assistant-homeassistant connect"
        )
    target = Path(path)
    try:
        info = target.stat()
    except FileNotFoundError:
        raise BadToken(
            f"The token file {target} is missing. Connect to Home Assistant again (Settings, or "
            "assistant-homeassistant connect)."
        ) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise BadToken(f"The token file {target} can be read by other users; run: chmod 600 {target}")
    token = target.read_text(encoding="utf-8").strip()
    if not token:
        raise BadToken(f"The token file {target} is empty. Connect to Home Assistant again.")
    return token
