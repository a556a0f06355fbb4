"""One websocket connection to Home Assistant, kept up by itself on a thread of its own.

Home Assistant's websocket API (``/api/websocket``): authenticate with the access token, then
numbered commands answered by ``result`` messages, and ``event`` messages for subscriptions.
The connection runs an asyncio loop on a daemon thread; the assistant's handlers call it with
``call()``, which waits for the answer. When the connection drops (Home Assistant restarted,
the network gone, the token revoked) it tries again with growing pauses, reading the token
file anew each time, so fixing the token needs no restart.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus, WebSocketException

from assistant_homeassistant.errors import BadToken, CommandFailed, HomeAssistantError, NotConnected

log = logging.getLogger(__name__)
FRAMES = logging.getLogger("assistant_homeassistant.frames")
"""The websocket library's logger for our connections. Its debug lines show each frame, the
token's included, so it never logs below INFO, whatever the root logger's level."""
FRAMES.setLevel(logging.INFO)

CALL_TIMEOUT = 10.0
OPEN_TIMEOUT = 10.0


class LinkState(str, Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    UNREACHABLE = "unreachable"
    BAD_TOKEN = "bad token"
    STOPPED = "stopped"


@dataclass(frozen=True)
class LinkStatus:
    """How the connection is, in words a person can act on."""

    state: LinkState
    detail: str = ""
    """What went wrong, without the token."""


@dataclass(frozen=True)
class Backoff:
    """Pauses between attempts to connect: ``first`` doubling up to ``longest`` seconds."""

    first: float = 1.0
    longest: float = 30.0


Ready = Callable[["Connection"], Awaitable[None]]
"""Run on the loop after each (re)connection: subscribe, read the home."""


def websocket_url(url: str) -> str:
    """http://host:8123 (as people write it) -> ws://host:8123/api/websocket."""
    base = url.strip().rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://") :]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://") :]
    elif not base.startswith(("ws://", "wss://")):
        base = "ws://" + base
    return base.removesuffix("/api/websocket") + "/api/websocket"


class Connection:
    """Home Assistant over one websocket, reconnecting by itself."""

    def __init__(
        self,
        url: str,
        read_token: Callable[[], str],
        on_ready: Ready,
        on_status: Callable[[LinkStatus], None] = lambda status: None,
        backoff: Backoff | None = None,
    ) -> None:
        self.url = url
        self._read_token = read_token
        self._on_ready = on_ready
        self._on_status = on_status
        self._backoff = backoff or Backoff()
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._subscriptions: dict[int, Callable[[dict[str, Any]], None]] = {}
        self._socket: ClientConnection | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="homeassistant", daemon=True)
        self._stopping: asyncio.Event | None = None
        self._wake = threading.Event()
        self.status = LinkStatus(LinkState.CONNECTING, f"connecting to {url}")
        self.ready = threading.Event()
        """Set once the home has been read after a connection; cleared when it drops."""
        self.tried = threading.Event()
        """Set once the first attempt ended, either way (start-up waits no longer than that)."""

    # --- life ----------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._keep_connected(), self._loop)

    def stop(self) -> None:
        if not self._thread.is_alive():
            return

        async def finish() -> None:
            if self._stopping is not None:
                self._stopping.set()
            if self._socket is not None:
                await self._socket.close()

        try:
            asyncio.run_coroutine_threadsafe(finish(), self._loop).result(5)
        except Exception:  # stopping anyway: the loop goes below
            log.exception("closing the Home Assistant connection failed")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._set_status(LinkStatus(LinkState.STOPPED, "stopped"))

    def retry_now(self) -> None:
        """Try to connect at once instead of waiting out the pause (a fixed token, a restarted server)."""
        self._loop.call_soon_threadsafe(self._wake.set)

    # --- commands ------------------------------------------------------------------

    def call(self, message: dict[str, Any], timeout: float = CALL_TIMEOUT) -> Any:
        """Send one command from any thread but the connection's and wait for its result."""
        if not self.ready.is_set():
            raise self._not_connected()
        future = asyncio.run_coroutine_threadsafe(self.command(message, timeout), self._loop)
        try:
            return future.result(timeout + 1)
        except TimeoutError:
            future.cancel()
            raise NotConnected(f"Home Assistant did not answer within {timeout:g} seconds.") from None

    async def command(self, message: dict[str, Any], timeout: float = CALL_TIMEOUT) -> Any:
        """Send one command on the loop and wait for its result (raises CommandFailed)."""
        socket = self._socket
        if socket is None:
            raise self._not_connected()
        number = next(self._ids)
        answer: asyncio.Future[Any] = self._loop.create_future()
        self._waiting[number] = answer
        try:
            await socket.send(json.dumps({**message, "id": number}))
            return await asyncio.wait_for(answer, timeout)
        except (WebSocketException, OSError) as error:
            raise NotConnected(f"The connection to Home Assistant dropped ({error}).") from None
        except TimeoutError:
            raise NotConnected(f"Home Assistant did not answer within {timeout:g} seconds.") from None
        finally:
            self._waiting.pop(number, None)

    async def subscribe(self, event_type: str, handle: Callable[[dict[str, Any]], None]) -> None:
        """Call ``handle(event)`` on the loop for each event of this type, from now on."""
        number = next(self._ids)
        self._subscriptions[number] = handle
        socket = self._socket
        if socket is None:
            raise self._not_connected()
        answer: asyncio.Future[Any] = self._loop.create_future()
        self._waiting[number] = answer
        await socket.send(json.dumps({"id": number, "type": "subscribe_events", "event_type": event_type}))
        await asyncio.wait_for(answer, CALL_TIMEOUT)

    def _not_connected(self) -> HomeAssistantError:
        if self.status.state is LinkState.BAD_TOKEN:
            return BadToken(self.status.detail)
        return NotConnected(self.status.detail or f"I'm not connected to Home Assistant at {self.url} yet.")

    # --- the loop ------------------------------------------------------------------

    async def _keep_connected(self) -> None:
        self._stopping = asyncio.Event()
        pause = self._backoff.first
        while not self._stopping.is_set():
            try:
                await self._session()
                pause = self._backoff.first  # it was up: the next drop retries quickly
            except BadToken as error:
                self._set_status(LinkStatus(LinkState.BAD_TOKEN, str(error)))
            except (OSError, WebSocketException, TimeoutError, NotConnected, InvalidStatus) as error:
                if not self._stopping.is_set():  # our own close is not an outage
                    self._set_status(LinkStatus(LinkState.UNREACHABLE, self._unreachable(error)))
            except Exception as error:  # a bug must not end the reconnecting
                log.exception("The Home Assistant connection failed")
                self._set_status(LinkStatus(LinkState.UNREACHABLE, f"Home Assistant failed: {error}"))
            self.tried.set()
            self.ready.clear()
            self._socket = None
            self._subscriptions.clear()
            for waiting in self._waiting.values():
                if not waiting.done():
                    waiting.set_exception(NotConnected(self.status.detail))
            if self._stopping.is_set():
                break
            await self._pause(pause)
            pause = min(pause * 2, self._backoff.longest)

    async def _pause(self, seconds: float) -> None:
        self._wake.clear()
        waited = 0.0
        while waited < seconds and not self._wake.is_set() and not self._stopping_set():
            await asyncio.sleep(0.1)
            waited += 0.1

    def _stopping_set(self) -> bool:
        return self._stopping is not None and self._stopping.is_set()

    def _unreachable(self, error: BaseException) -> str:
        reason = str(error) or type(error).__name__
        return (
            f"I can't reach Home Assistant at {self.url} ({reason}). "
            "Check that it is running and that the address is right; I'll keep trying."
        )

    async def _session(self) -> None:
        async with connect(
            websocket_url(self.url),
            max_size=None,
            open_timeout=OPEN_TIMEOUT,
            ping_interval=20,
            ping_timeout=20,
            logger=FRAMES,
        ) as socket:
            await self._authenticate(socket)
            self._socket = socket
            reader = asyncio.ensure_future(self._read(socket))
            try:
                await self._on_ready(self)
                self.ready.set()
                self.tried.set()
                self._set_status(LinkStatus(LinkState.CONNECTED, f"connected to {self.url}"))
                await reader
            finally:
                reader.cancel()

    async def _authenticate(self, socket: ClientConnection) -> None:
        hello = json.loads(await asyncio.wait_for(socket.recv(), OPEN_TIMEOUT))
        if hello.get("type") != "auth_required":
            raise NotConnected(f"{self.url} does not look like Home Assistant.")
        try:
            token = self._read_token()
        except HomeAssistantError as error:
            raise BadToken(str(error)) from None
        await socket.send(json.dumps({"type": "auth", "access_token": token}))
        answer = json.loads(await asyncio.wait_for(socket.recv(), OPEN_TIMEOUT))
        if answer.get("type") != "auth_ok":
            raise BadToken(
                "Home Assistant refused the access token (it may have been deleted or mistyped). "
                "Make a new long-lived token in your Home Assistant profile and connect again."
            )

    async def _read(self, socket: ClientConnection) -> None:
        async for raw in socket:
            message = json.loads(raw)
            number = message.get("id")
            if message.get("type") == "event":
                handle = self._subscriptions.get(number)
                if handle is not None:
                    try:
                        handle(message.get("event") or {})
                    except Exception:  # one bad event must not drop the connection
                        log.exception("handling a Home Assistant event failed")
            elif message.get("type") == "result":
                waiting = self._waiting.get(number)
                if waiting is None or waiting.done():
                    continue
                if message.get("success"):
                    waiting.set_result(message.get("result"))
                else:
                    error = message.get("error") or {}
                    waiting.set_exception(
                        CommandFailed(str(error.get("message") or error), str(error.get("code", "")))
                    )
        raise NotConnected("Home Assistant closed the connection.")

    def _set_status(self, status: LinkStatus) -> None:
        changed = status != self.status
        self.status = status
        if changed:
            log.info("Home Assistant: %s (%s)", status.state.value, status.detail)
            try:
                self._on_status(status)
            except Exception:  # the status is kept either way
                log.exception("reporting the Home Assistant status failed")
