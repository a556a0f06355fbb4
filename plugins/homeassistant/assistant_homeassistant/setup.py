"""Connecting the assistant to a Home Assistant: check the address and token, then keep them.

Used by ``assistant-homeassistant connect`` and by the UI's settings. The check is one short
websocket session (authenticate, read the version and how many entities there are); only when
it works are the token (in a file only the user can read) and the address saved.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus, WebSocketException

from assistant.config import Home, Settings
from assistant_homeassistant.connection import FRAMES, websocket_url
from assistant_homeassistant.token_file import default_path, save_token

PLUGIN = "homeassistant"
CHECK_TIMEOUT = 10.0


@dataclass(frozen=True)
class ConnectionCheck:
    """What trying the address and token found, in words to show."""

    ok: bool
    message: str
    version: str = ""
    entities: int = 0


def check_connection(url: str, token: str, timeout: float = CHECK_TIMEOUT) -> ConnectionCheck:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return ConnectionCheck(
            False, "The address should start with http:// or https://, like http://homeassistant.local:8123."
        )
    if not token.strip():
        return ConnectionCheck(
            False, "Paste a long-lived access token (your Home Assistant profile → Security)."
        )
    try:
        return asyncio.run(asyncio.wait_for(_check(url, token.strip()), timeout))
    except TimeoutError:
        return ConnectionCheck(
            False, f"{url} did not answer within {timeout:g} seconds. Is Home Assistant running there?"
        )
    except InvalidStatus as error:
        return ConnectionCheck(
            False, f"{url} answered, but not as Home Assistant does ({error}). Check the address."
        )
    except (OSError, WebSocketException) as error:
        return ConnectionCheck(
            False,
            f"I can't reach {url} ({error.__class__.__name__}: {error}). "
            "Check the address and that Home Assistant is running.",
        )


async def _check(url: str, token: str) -> ConnectionCheck:
    async with connect(
        websocket_url(url), max_size=None, open_timeout=CHECK_TIMEOUT, logger=FRAMES
    ) as socket:
        hello = json.loads(await socket.recv())
        if hello.get("type") != "auth_required":
            return ConnectionCheck(False, f"{url} does not look like Home Assistant.")
        await socket.send(json.dumps({"type": "auth", "access_token": token}))
        answer = json.loads(await socket.recv())
        if answer.get("type") != "auth_ok":
            return ConnectionCheck(
                False,
                "Home Assistant refused the token. Make a long-lived access token in your profile "
                "(Security → Long-lived access tokens) and paste all of it.",
            )
        await socket.send(json.dumps({"id": 1, "type": "get_states"}))
        states = json.loads(await socket.recv())
        count = len(states.get("result") or [])
        version = str(answer.get("ha_version", ""))
        return ConnectionCheck(
            True, f"Connected to Home Assistant {version} at {url}: {count} entities.", version, count
        )


def connect_home(home: Home, url: str, token: str) -> ConnectionCheck:
    """Check, then save the token file and the settings; nothing is saved when the check fails."""
    check = check_connection(url, token)
    if not check.ok:
        return check
    home.ensure()
    path = default_path(home.config_dir)
    save_token(path, token)
    settings = Settings.load(home)
    own = dict(settings.extra.get(PLUGIN) or {})
    own.update({"url": url.strip().rstrip("/"), "token_file": str(path)})
    settings.extra = {**settings.extra, PLUGIN: own}
    settings.save(home)
    return ConnectionCheck(
        True, check.message + " Restart the assistant to use it.", check.version, check.entities
    )


def saved(home: Home) -> tuple[str, Path]:
    """The address and token file in the settings (the usual token file when none is set)."""
    own = Settings.load(home).extra.get(PLUGIN) or {}
    own = own if isinstance(own, dict) else {}
    return str(own.get("url", "")), Path(own.get("token_file") or default_path(home.config_dir))
