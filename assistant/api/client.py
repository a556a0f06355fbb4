"""A client for the local API, used by ``assistant ask`` and ``chat`` and by scripts.

with ApiClient(Home.locate().socket_path) as client:
    print(client.ask("what time is it")["reply"])
    for event in client.events():
        print(event["type"], event["data"])
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.api.protocol import MAX_LINE_BYTES, ApiError, decode, encode
from assistant.config import Home

DEFAULT_TIMEOUT_SECONDS = 120.0
"""A turn can be slow the first time (models load); a dead server is caught at connect."""
PROBE_TIMEOUT_SECONDS = 0.5
"""How long a listener may take to answer a ping before it counts as not running.

A socket file left by a crash refuses the connection at once; this limit is for a
process that holds the socket but does not answer (stopped, hung). A busy assistant
answers a ping in milliseconds: pings do not wait for a turn.
"""


class ApiUnavailable(ApiError):
    """No assistant is serving on the socket."""


class ApiClient:
    """One connection to a running ``assistant serve``."""

    def __init__(self, path: Path | str, *, timeout: float | None = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._socket: socket.socket | None = None
        self._reader: Any = None
        self._next_id = 0

    def connect(self) -> ApiClient:
        if self._socket is not None:
            return self
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(self.timeout)
        try:
            connection.connect(str(self.path))
        except (FileNotFoundError, ConnectionRefusedError) as error:
            connection.close()
            raise ApiUnavailable(
                f"No assistant is serving on {self.path}. Start one with `assistant serve`."
            ) from error
        except OSError as error:
            connection.close()
            raise ApiUnavailable(f"Cannot connect to {self.path}: {error}.") from error
        self._socket = connection
        self._reader = connection.makefile("rb")
        return self

    def set_timeout(self, timeout: float | None) -> None:
        """The limit for each later read (and connect, if not connected yet)."""
        self.timeout = timeout
        if self._socket is not None:
            self._socket.settimeout(timeout)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> ApiClient:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests ------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        self.connect()
        assert self._socket is not None  # connect() set it or raised
        try:
            self._socket.sendall(encode(message))
        except OSError as error:  # e.g. BrokenPipeError: not this program's stdout
            raise ApiUnavailable(f"The assistant closed the connection: {error}.") from error

    def receive(self) -> dict[str, Any]:
        """The next line from the server (a response or an event envelope)."""
        self.connect()
        try:
            line = self._reader.readline(MAX_LINE_BYTES + 1)
        except TimeoutError as error:
            raise ApiError(f"The assistant did not answer within {self.timeout:g} seconds.") from error
        except OSError as error:
            raise ApiUnavailable(f"The assistant closed the connection: {error}.") from error
        if not line:
            raise ApiUnavailable("The assistant closed the connection.")
        return decode(line)

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its response (event envelopes in between are skipped)."""
        self._next_id += 1
        request_id = self._next_id
        self.send({**message, "id": request_id})
        while True:
            response = self.receive()
            if response.get("id") == request_id or ("ok" in response and "id" not in response):
                return response

    def _checked(self, message: dict[str, Any]) -> dict[str, Any]:
        response = self.request(message)
        if not response.get("ok"):
            raise ApiError(str(response.get("error") or "The request failed."))
        return response

    def ask(self, text: str, session: str | None = None) -> dict[str, Any]:
        """One turn; returns ``TurnResult.to_json()``."""
        message: dict[str, Any] = {"op": "ask", "text": text}
        if session is not None:
            message["session"] = session
        turn: dict[str, Any] = self._checked(message)["turn"]
        return turn

    def end_session(self, session: str) -> None:
        """Forget that conversation on the server (its pending question, last request)."""
        self._checked({"op": "end_session", "session": session})

    def ping(self) -> None:
        self._checked({"op": "ping"})

    def say(self, text: str) -> None:
        self._checked({"op": "say", "text": text})

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = self._checked({"op": "status"})["status"]
        return status

    def events(self) -> Iterator[dict[str, Any]]:
        """Subscribe now; the iterator yields every event envelope until the connection ends."""
        self._checked({"op": "events"})
        return self._event_stream()

    def _event_stream(self) -> Iterator[dict[str, Any]]:
        while True:
            try:
                message = self.receive()
            except ApiUnavailable:
                return
            if "type" in message and "data" in message:
                yield message


def connect_running(home: Home, *, probe_timeout: float = PROBE_TIMEOUT_SECONDS) -> ApiClient:
    """A client connected to the assistant serving ``home`` (UI or ``assistant serve``).

    Raises ApiUnavailable, without waiting, when no socket file is there or nobody
    listens on it (a file left by a crash); after ``probe_timeout`` when a listener
    does not answer a ping. The returned client waits as long as a turn may take.
    """
    path = home.socket_path
    if not path.is_socket():
        raise ApiUnavailable(f"No assistant is serving on {path}. Start one with `assistant serve`.")
    client = ApiClient(path, timeout=probe_timeout)
    try:
        client.connect()
        client.ping()
    except ApiUnavailable:
        client.close()
        raise
    except ApiError as error:
        client.close()
        raise ApiUnavailable(f"The assistant on {path} did not answer: {error}") from error
    client.set_timeout(DEFAULT_TIMEOUT_SECONDS)
    return client


def ask_remote(
    home: Home | str | Path | None,
    text: str,
    session: str | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS,
) -> dict[str, Any]:
    """Ask a running ``assistant serve`` for one turn; returns the turn JSON.

    Raises ApiUnavailable when none is serving, ApiError when the request failed.
    """
    located = home if isinstance(home, Home) else Home.locate(home)
    with ApiClient(located.socket_path, timeout=timeout) as client:
        return client.ask(text, session)
